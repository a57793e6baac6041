"""Authentication building blocks: pure functions, no web framework, no database.

- `passwords`: password policy (French messages) and argon2id hashing.
- `totp`: TOTP secrets, QR codes, code check with replay protection, recovery codes.
- `secret_box`: AES-256-GCM for secrets stored at rest (TOTP secrets), key file, HKDF.
- `tokens`: HS256 access / MFA tokens and refresh tokens.
- `api_keys`: firm API keys and the log redaction of every credential format.
- `throttle`: rate limiting and login lockout over Redis or memory.
"""
