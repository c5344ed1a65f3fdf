"""Rows every installation needs: the built-in skills and the spoken languages.

`ensure()` runs after every `migrate` (and after the test runner flushes the
database), like Django's own content types; it only adds what is missing and never
renames what a committee may have relied on.
"""

BUILTIN_SKILLS = [
    ("interpreter", "Interpreter (spoken)", "Intérprete (oral)"),
    ("translator", "Translator (written)", "Traducción escrita"),
    ("legal", "Legal", "Legal"),
    ("driver", "Driver", "Conductor(a)"),
    ("medic", "Medic / first aid", "Primeros auxilios"),
    ("childcare", "Childcare", "Cuidado de niños"),
    ("tech", "Tech", "Tecnología"),
    ("accompaniment", "Accompaniment", "Acompañamiento"),
]

SPOKEN_LANGUAGES = [
    ("en", "English", "Inglés"),
    ("es", "Spanish", "Español"),
    ("pt", "Portuguese", "Portugués"),
    ("fr", "French", "Francés"),
    ("ht", "Haitian Creole", "Criollo haitiano"),
    ("zh", "Chinese", "Chino"),
    ("vi", "Vietnamese", "Vietnamita"),
    ("ko", "Korean", "Coreano"),
    ("tl", "Tagalog", "Tagalo"),
    ("ar", "Arabic", "Árabe"),
    ("ru", "Russian", "Ruso"),
    ("mam", "Mam", "Mam"),
    ("quc", "K'iche'", "K'iche'"),
    ("mix", "Mixtec", "Mixteco"),
    ("zap", "Zapotec", "Zapoteco"),
    ("nah", "Nahuatl", "Náhuatl"),
    ("asl", "American Sign Language", "Lengua de señas americana"),
]


def ensure(**kwargs) -> None:
    from .models import Skill, SpokenLanguage

    known = set(SpokenLanguage.objects.values_list("code", flat=True))
    created = SpokenLanguage.objects.bulk_create(
        [
            SpokenLanguage(code=code, name_en=en, name_es=es)
            for code, en, es in SPOKEN_LANGUAGES
            if code not in known
        ]
    )
    known = set(Skill.objects.filter(committee__isnull=True).values_list("slug", flat=True))
    created += Skill.objects.bulk_create(
        [
            Skill(committee=None, slug=slug, name_en=en, name_es=es)
            for slug, en, es in BUILTIN_SKILLS
            if slug not in known
        ]
    )
    if created:  # bulk_create sends no signal: the directory's cached filters list these
        import contextlib

        from .filters import forget_filter_choices

        with contextlib.suppress(Exception):  # no cache while migrating: nothing cached
            forget_filter_choices(None)
