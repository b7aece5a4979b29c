"""What the field looks like: weights, name parts and ranges the generator draws from.

The *sets* of codes (program types, funding sources, roles, measures, legal statuses, settings) come from
the contract; this module only says how common each one is and how big. A code the contract gains later
gets a small default weight instead of being left out (tests check every key here is a contract code).
"""

from __future__ import annotations

# How often each program type appears among programs (relative weights).
PROGRAM_TYPE_WEIGHTS: dict[str, float] = {
    "drop_in_center": 14,
    "peer_counseling": 18,
    "support_group": 14,
    "educational_group": 9,
    "crisis_respite": 3,
    "warmline": 6,
    "information_referral": 5,
    "advocacy": 6,
    "benefits_assistance": 3,
    "housing_support": 3,
    "employment_support": 4,
    "education_support": 2,
    "social_recreational": 5,
    "arts_expression": 3,
    "peer_workforce_training": 3,
    "systems_change": 2,
    "other": 1.5,
}
DEFAULT_WEIGHT = 1.0

# Typical unduplicated participants per year for a medium grantee: (low, high).
PARTICIPANTS_RANGE: dict[str, tuple[int, int]] = {
    "drop_in_center": (60, 450),
    "peer_counseling": (20, 260),
    "support_group": (10, 140),
    "educational_group": (12, 160),
    "crisis_respite": (15, 120),
    "warmline": (200, 2500),
    "information_referral": (80, 900),
    "advocacy": (20, 300),
    "benefits_assistance": (25, 250),
    "housing_support": (12, 90),
    "employment_support": (15, 120),
    "education_support": (8, 60),
    "social_recreational": (20, 220),
    "arts_expression": (10, 80),
    "peer_workforce_training": (15, 120),
    "systems_change": (5, 60),
    "other": (10, 150),
}
DEFAULT_PARTICIPANTS = (10, 150)

# Contacts per participant in a year: (low, high).
CONTACTS_PER_PERSON: dict[str, tuple[float, float]] = {
    "drop_in_center": (6, 40),
    "peer_counseling": (3, 14),
    "support_group": (4, 20),
    "crisis_respite": (2, 8),
    "warmline": (1.2, 5),
    "information_referral": (1, 2),
}
DEFAULT_CONTACTS_PER_PERSON = (1.5, 8)

# Hours per week a program runs: (low, high); a warmline may run around the clock.
HOURS_RANGE: dict[str, tuple[float, float]] = {
    "drop_in_center": (20, 60),
    "warmline": (20, 168),
    "crisis_respite": (84, 168),
    "support_group": (1.5, 8),
    "educational_group": (2, 10),
    "arts_expression": (2, 12),
}
DEFAULT_HOURS = (4, 40)

# Share of programs of a type delivered virtually (phone, chat, video).
VIRTUAL_SHARE: dict[str, float] = {
    "warmline": 0.75,
    "peer_counseling": 0.08,
    "support_group": 0.08,
    "educational_group": 0.10,
    "advocacy": 0.10,
    "systems_change": 0.20,
    "peer_workforce_training": 0.15,
    "information_referral": 0.15,
}

# Which of the four support kinds a program type offers: probabilities per support column suffix.
SUPPORT_PROFILE: dict[str, dict[str, float]] = {
    "emotional": {
        "_default": 0.9,
        "benefits_assistance": 0.5,
        "systems_change": 0.3,
        "peer_workforce_training": 0.4,
    },
    "informational": {
        "_default": 0.6,
        "information_referral": 1.0,
        "educational_group": 0.95,
        "benefits_assistance": 0.9,
    },
    "instrumental": {
        "_default": 0.15,
        "housing_support": 1.0,
        "employment_support": 1.0,
        "benefits_assistance": 1.0,
        "education_support": 0.9,
        "crisis_respite": 0.6,
    },
    "affiliational": {
        "_default": 0.45,
        "drop_in_center": 0.9,
        "social_recreational": 1.0,
        "arts_expression": 0.9,
        "support_group": 0.8,
    },
}

PROGRAM_NAMES: dict[str, tuple[str, ...]] = {
    "drop_in_center": (
        "{place} Drop-In Center",
        "The Living Room",
        "Open Door Drop-In",
        "{word} Peer Center",
    ),
    "peer_counseling": (
        "One-to-One Peer Support",
        "Peer Mentoring",
        "Peer Bridger Program",
        "Peer Companions",
    ),
    "support_group": (
        "Mutual Support Groups",
        "Hearing Voices Group",
        "Tuesday Night Circle",
        "Recovery Circle",
    ),
    "educational_group": (
        "WRAP Classes",
        "Wellness Recovery Action Plan",
        "Whole Health Action Management",
        "Recovery Education",
    ),
    "crisis_respite": ("{word} House Peer Respite", "Peer Crisis Respite", "Crisis Alternative Program"),
    "warmline": ("{place} Warmline", "Peer Warmline", "Text and Talk Line", "Evening Warmline"),
    "information_referral": ("Resource Navigation", "Information and Referral", "Community Resource Desk"),
    "advocacy": ("Individual Advocacy", "Rights and Advocacy Project", "Consumer Advocacy Council"),
    "benefits_assistance": ("Benefits Navigation", "SOAR Benefits Help", "Basic Needs Pantry"),
    "housing_support": ("Housing First Peer Support", "Tenancy Support", "Housing Navigation"),
    "employment_support": ("Peer Employment Support", "Work Readiness Program", "Supported Employment"),
    "education_support": ("Back to School Support", "GED Peer Tutoring", "College Peer Navigators"),
    "social_recreational": ("Social Club", "Community Outings", "Friday Night Social"),
    "arts_expression": ("Art Studio", "Creative Expression Workshop", "Recovery Through Art"),
    "peer_workforce_training": (
        "Peer Specialist Certification Training",
        "Peer Supervisor Academy",
        "Intentional Peer Support Training",
    ),
    "systems_change": ("Systems Change Project", "Policy Council", "Crisis System Reform Project"),
    "other": ("Community Garden", "Pet Therapy Visits", "Peer Run Cafe", "Faith and Recovery Ministry"),
}

# What an `other` program is when the grantee describes it.
OTHER_DESCRIPTIONS: tuple[str, ...] = (
    "community garden",
    "animal-assisted peer support",
    "peer-run cafe",
    "faith community outreach",
    "forensic peer reentry support",
    "peer support in emergency departments",
    "hearing voices network",
)

# Funding: share of grantees with each source, typical share of a budget (low, high) and whether the
# money is often restricted to a program of a given type.
FUNDING_PREVALENCE: dict[str, float] = {
    "mh_authority": 0.62,
    "state_general_fund": 0.35,
    "mhbg": 0.45,
    "medicaid": 0.28,
    "local_tax_levy": 0.10,
    "samhsa_grant": 0.08,
    "va": 0.03,
    "hud": 0.05,
    "other_federal": 0.03,
    "community_reinvestment": 0.04,
    "managed_care": 0.10,
    "foundation": 0.26,
    "charity": 0.15,
    "faith_based": 0.04,
    "fundraising": 0.25,
    "social_enterprise": 0.05,
    "service_contract": 0.12,
    "consulting": 0.06,
    "training_fees": 0.10,
    "evaluation_fees": 0.02,
    "other": 0.03,
}
DEFAULT_PREVALENCE = 0.02

# Relative size of a source when present (a budget is split in proportion to these).
FUNDING_SIZE: dict[str, tuple[float, float]] = {
    "mh_authority": (4, 10),
    "state_general_fund": (3, 8),
    "mhbg": (2, 6),
    "medicaid": (2, 8),
    "local_tax_levy": (1, 4),
    "samhsa_grant": (2, 5),
    "managed_care": (1, 4),
    "hud": (1, 3),
    "foundation": (0.4, 2),
    "charity": (0.2, 1),
    "fundraising": (0.05, 0.4),
    "social_enterprise": (0.1, 0.6),
    "service_contract": (0.3, 1.5),
    "consulting": (0.1, 0.6),
    "training_fees": (0.1, 0.8),
    "evaluation_fees": (0.05, 0.3),
}
DEFAULT_FUNDING_SIZE = (0.2, 1.5)

# Sources usually earmarked for one program, with the program types they fund.
RESTRICTED_TO: dict[str, tuple[str, ...]] = {
    "hud": ("housing_support",),
    "training_fees": ("peer_workforce_training", "educational_group"),
    "medicaid": ("peer_counseling", "crisis_respite"),
    "samhsa_grant": ("crisis_respite", "warmline", "employment_support", "peer_counseling"),
    "va": ("peer_counseling", "support_group"),
    "foundation": ("arts_expression", "warmline", "education_support", "drop_in_center"),
    "service_contract": ("peer_counseling", "crisis_respite"),
}

# Roles: headcount range for a medium grantee (the executive director is always one person).
ROLE_HEADCOUNT: dict[str, tuple[int, int]] = {
    "executive_director": (1, 1),
    "peer_specialist": (2, 16),
    "peer_supervisor": (0, 3),
    "administrative": (0, 4),
    "other_staff": (0, 6),
    "volunteer": (0, 30),
}
DEFAULT_ROLE_HEADCOUNT = (0, 3)
PEER_ROLES: frozenset[str] = frozenset({"peer_specialist", "peer_supervisor"})

MEASURE_WEIGHTS: dict[str, float] = {
    "wellbeing": 5,
    "hope": 4,
    "empowerment": 4,
    "social_connectedness": 4,
    "quality_of_life": 3,
    "self_stigma": 2,
    "community_engagement": 2,
    "employment": 1.5,
    "education": 1,
    "hospitalization_avoided": 2,
}

# Organization names.
NAME_WORDS: tuple[str, ...] = (
    "Hope",
    "Harbor",
    "Bridges",
    "Beacon",
    "Journey",
    "Compass",
    "Horizon",
    "Lighthouse",
    "Pathways",
    "Kinship",
    "Haven",
    "Common Ground",
    "New Dawn",
    "Turning Point",
    "Second Wind",
    "Phoenix",
    "Evergreen",
    "Riverbend",
    "Northstar",
    "Open Door",
    "Sunrise",
    "Cornerstone",
    "Lifeline",
    "Anchor",
    "Wellspring",
)
PEER_RUN_NAMES: tuple[str, ...] = (
    "{place} Peer Support Network",
    "{place} Consumer Network",
    "{word} Peer Center",
    "{word} Recovery Community",
    "Peers Helping Peers of {place}",
    "{place} Clubhouse",
    "{word} Peer Collective",
    "{place} Recovery Alliance",
    "{word} Mental Health Peer Connection",
    "{place} Empowerment Center",
)
HYBRID_NAMES: tuple[str, ...] = (
    "{place} Community Mental Health Center",
    "Mental Health Association of {place}",
    "{place} Behavioral Health Services",
    "{word} Family Services",
    "{place} Counseling Center",
    "{word} Health Partners",
    "{place} Community Services Board",
)
GOVERNMENT_NAMES: tuple[str, ...] = (
    "{place} Department of Behavioral Health",
    "{place} Mental Health Authority",
)
COUNTY_SUFFIXES: tuple[str, ...] = (
    " City and Borough",
    " Census Area",
    " Planning Region",
    " Municipality",
    " Municipio",
    " County",
    " Parish",
    " Borough",
    " city",
    " City",
)

CULTURAL_FOCUS: tuple[str, ...] = (
    "Latino community (Spanish)",
    "Deaf and hard of hearing (ASL)",
    "Black community",
    "LGBTQ+ community",
    "Native American community",
    "Veterans",
    "Young adults 18-25",
    "Chinese community (Cantonese, Mandarin)",
    "Vietnamese community",
    "Somali community",
    "Older adults",
    "Haitian community (Kreyol)",
)
