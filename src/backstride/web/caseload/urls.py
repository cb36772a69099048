from django.urls import path

from backstride.web.adverse_events import views as adverse_event_views
from backstride.web.audit import views as audit_views
from backstride.web.caseload.views import patient, queue
from backstride.web.messaging import views as message_views
from backstride.web.outcomes import views as outcome_views
from backstride.web.reports import views as report_views

app_name = "caseload"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("clearance/", queue.clearance_queue, name="clearance_queue"),
    path("invitations/", queue.invitations, name="invitations"),
    path("patients/new/", queue.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", patient.patient, name="patient"),
    path("patients/<int:patient_id>/override/", patient.override, name="override"),
    path("patients/<int:patient_id>/notes/", patient.note_add, name="note_add"),
    path("patients/<int:patient_id>/clearance/", patient.clearance, name="clearance"),
    path("patients/<int:patient_id>/locks/<int:lock_id>/clear/", patient.lock_clear,
         name="lock_clear"),
    path("patients/<int:patient_id>/messages/", message_views.clinician_thread,
         name="messages"),
    path("patients/<int:patient_id>/adverse-events/", adverse_event_views.clinician_record,
         name="adverse_event"),
    path("patients/<int:patient_id>/access/", audit_views.access_history,
         name="access_history"),
    path("patients/<int:patient_id>/report/", report_views.patient_report,
         name="patient_report"),
    path("patients/<int:patient_id>/report.pdf", report_views.patient_report_pdf,
         name="patient_report_pdf"),
    path("patients/<int:patient_id>/fhir.json", report_views.patient_fhir, name="patient_fhir"),
    path("reports/cohort/", report_views.cohort, name="cohort_report"),
    path("reports/cohort.csv", report_views.cohort_csv, name="cohort_report_csv"),
    path("exports/", report_views.exports, name="exports"),
    path("exports/caseload.csv", report_views.caseload_csv, name="caseload_csv"),
    path("exports/sessions.csv", report_views.sessions_csv, name="sessions_csv"),
    path("exports/fhir.json", report_views.clinic_fhir, name="clinic_fhir"),
    path("questionnaires/", outcome_views.definitions, name="questionnaires"),
    path("alerts/<int:alert_id>/acknowledge/", patient.alert_acknowledge,
         name="alert_acknowledge"),
    path("alerts/<int:alert_id>/resolve/", patient.alert_resolve, name="alert_resolve"),
]
