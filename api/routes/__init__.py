"""The API's route modules; each exposes `ROUTES`, the handlers app.py registers."""
