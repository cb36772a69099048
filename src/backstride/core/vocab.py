"""Controlled vocabularies of the vignette interface (CLINICAL.md section 5).

Ids are exact: they are what a clinician types in a vignette file and what the
web forms post. Each tuple keeps the order CLINICAL.md gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

CAUDA_EQUINA = (
    "bladder_change",
    "bowel_incontinence",
    "saddle_numbness",
    "sexual_dysfunction",
    "bilateral_leg_symptoms",
    "progressive_leg_weakness",
)
SERIOUS = (
    "significant_trauma",
    "history_of_cancer",
    "unexplained_weight_loss",
    "fever_or_unwell",
    "night_pain_unrelieved",
    "iv_drug_use",
    "immunosuppression",
    "long_term_corticosteroids",
)
RED_FLAGS = CAUDA_EQUINA + SERIOUS
CONDITIONS = (
    "disc_herniation",
    "degenerative_disc_disease",
    "scoliosis",
    "spondylolisthesis",
    "spinal_stenosis",
    "spinal_fracture",
    "spinal_surgery",
    "spondyloarthropathy",
    "osteoporosis",
)
PRE_EXERCISE = (
    "heart_disease_or_stroke",
    "chest_pain",
    "faint_or_dizzy_on_exertion",
    "asthma_attack_12_months",
    "unstable_diabetes",
    "condition_worsened_by_exercise",
)
SEXES = ("female", "male", "other")
LEG_PAIN = ("none", "above_knee", "below_knee")
PAIN_SITES = ("knee", "ankle", "hip", "foot")
SESSION_STATUSES = ("done", "partial", "missed")
STARTBACK_ITEMS = 9
STARTBACK_PSYCHOSOCIAL_ITEMS = (5, 6, 7, 8, 9)  # 1-based item numbers

# Plain-language labels, used by the web forms and the CLI's --schema.
LABELS: Mapping[str, str] = MappingProxyType({
    "bladder_change": "New trouble passing urine or controlling the bladder",
    "bowel_incontinence": "Loss of bowel control",
    "saddle_numbness": "Numbness around the genitals, buttocks or inner thighs",
    "sexual_dysfunction": "New loss of sexual function",
    "bilateral_leg_symptoms": "Pain, numbness or weakness in both legs",
    "progressive_leg_weakness": "Leg weakness that is getting worse",
    "significant_trauma": "A significant fall or accident before the pain began",
    "history_of_cancer": "Cancer now or in the past",
    "unexplained_weight_loss": "Weight loss you cannot explain",
    "fever_or_unwell": "Fever, or feeling generally unwell",
    "night_pain_unrelieved": "Pain at night that rest does not ease",
    "iv_drug_use": "Injecting drugs",
    "immunosuppression": "A weakened immune system (illness or medicines)",
    "long_term_corticosteroids": "Taking steroid tablets for months",
    "disc_herniation": "Disc herniation (slipped or bulging disc)",
    "degenerative_disc_disease": "Degenerative disc disease",
    "scoliosis": "Scoliosis",
    "spondylolisthesis": "Spondylolisthesis",
    "spinal_stenosis": "Spinal stenosis",
    "spinal_fracture": "A spinal fracture",
    "spinal_surgery": "Spinal surgery",
    "spondyloarthropathy": "Inflammatory spondyloarthropathy (e.g. ankylosing spondylitis)",
    "osteoporosis": "Osteoporosis",
    "heart_disease_or_stroke": "Heart disease or a stroke",
    "chest_pain": "Chest pain or discomfort",
    "faint_or_dizzy_on_exertion": "Fainting or dizziness during exercise",
    "asthma_attack_12_months": "An asthma attack needing medical care in the last 12 months",
    "unstable_diabetes": "Diabetes that is hard to control",
    "condition_worsened_by_exercise": "Another condition that exercise could make worse",
    "knee": "Knee",
    "ankle": "Ankle",
    "hip": "Hip",
    "foot": "Foot",
})
