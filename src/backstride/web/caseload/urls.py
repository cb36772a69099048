from django.urls import path

from backstride.web.adverse_events import views as adverse_event_views
from backstride.web.caseload.views import patient, queue
from backstride.web.messaging import views as message_views

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
    path("alerts/<int:alert_id>/acknowledge/", patient.alert_acknowledge,
         name="alert_acknowledge"),
    path("alerts/<int:alert_id>/resolve/", patient.alert_resolve, name="alert_resolve"),
]
