from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from committees import views as committee_views
from members.urls import profile_patterns
from members.views.proof import contact_proof
from notifications import views as notification_views
from notifications import webhooks

# The admin is reached only through allauth's login (and so its second factor).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Defensa"

urlpatterns = [
    path("", committee_views.dashboard, name="dashboard"),
    path("committee/", include("committees.urls")),
    path("trainings/", include("trainings.urls")),
    path("legal/", include("legal_aid.urls")),
    path("help/", include("legal_aid.urls_public")),
    path("dispatch/", include("rapid_response.urls")),
    path("report/", include("rapid_response.urls_public")),
    path("fund/", include("bond_fund.urls")),
    path("give/", include("bond_fund.urls_public")),
    path("t/", include("trainings.urls_public")),
    path("coalition/", include("coalition.urls")),
    path("c/", include("coalition.urls_public")),
    path("people/", include("members.urls")),
    path("me/", include(profile_patterns)),
    path("messages/", include("notifications.urls")),
    # Twilio's webhooks: signed, public, exactly these paths (see README, "Messages").
    path("sms/inbound/", webhooks.sms_inbound, name="sms_inbound"),
    path("sms/status/", webhooks.sms_status, name="sms_status"),
    path("join/<str:token>/", committee_views.join, name="join"),
    # The link under every email sent for a purpose (signed message id, no login).
    path("stop/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
    # "Was it you?" links sent to an address typed on a public form (members.proofs).
    path("confirm/<str:token>/", contact_proof, name="contact_proof"),
    path("language/", committee_views.set_language, name="set_language"),
    path("healthz/", committee_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_ENDPOINTS:
    # The benchmark's ceiling: a constant answer through the same middleware (see bench/).
    urlpatterns.append(path("bench/ceiling/", committee_views.ceiling, name="bench_ceiling"))
