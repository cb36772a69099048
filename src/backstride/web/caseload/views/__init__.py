"""The clinician's pages (queue, patient, actions) and joining a clinic by link."""
