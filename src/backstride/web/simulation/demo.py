"""The demo clinic: one clinician and 40 simulated patients, as on a Monday morning."""

from __future__ import annotations

from datetime import date

from backstride.web.accounts.models import User
from backstride.web.simulation.loader import Loaded, load_clinic

CLINIC = "Backstride Demo Clinic"
CLINICIAN_EMAIL = "clinician@backstride.example"
CLINICIAN_PASSWORD = "caseload-demo"
PATIENT_PASSWORD = "run-walk-demo"  # every simulated patient's, like the demo runner's
PATIENT_DOMAIN = "demo.backstride.example"
PATIENTS = 40
SEED = 4  # issue #4: the same caseload every time


def seed_demo_clinic(today: date) -> Loaded:
    loaded = load_clinic(count=PATIENTS, seed=SEED, today=today, clinic_name=CLINIC,
                         clinician_email=CLINICIAN_EMAIL, password=PATIENT_PASSWORD,
                         email_domain=PATIENT_DOMAIN)
    loaded.clinician.set_password(CLINICIAN_PASSWORD)
    loaded.clinician.save(update_fields=["password"])
    return loaded


def sample_patient_email() -> str | None:
    """A simulated patient with messages to read, to show the patient side too."""
    patient = (User.objects.filter(email__endswith="@" + PATIENT_DOMAIN,
                                   thread_messages__sender__email=CLINICIAN_EMAIL)
               .order_by("email").first()
               or User.objects.filter(email__endswith="@" + PATIENT_DOMAIN).order_by("email")
               .first())
    return None if patient is None else patient.email
