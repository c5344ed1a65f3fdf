"""Twilio's webhooks: inbound SMS (`/sms/inbound/`) and status callbacks (`/sms/status/`).

Every request must carry a valid `X-Twilio-Signature`, computed by Twilio over the URL
it called and the POST parameters with our auth token. The URL is rebuilt from
`PUBLIC_BASE_URL` (not from the request's own host and scheme, which a TLS proxy
changes), so it must be exactly the address configured at Twilio. A missing or wrong
signature, or no auth token configured at all, is a 403 and nothing is written.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from committees.access import public

from . import services

logger = logging.getLogger("notifications")


def signature_is_valid(request) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    url = settings.PUBLIC_BASE_URL + request.get_full_path_info()
    return RequestValidator(token).validate(url, request.POST, signature)


def _empty_twiml() -> HttpResponse:
    # Our answers go through the outbox (logged, consent-checked), never in TwiML.
    return HttpResponse(str(MessagingResponse()), content_type="text/xml")


@public
@csrf_exempt
@require_POST
def sms_inbound(request):
    if not signature_is_valid(request):
        logger.warning("inbound sms webhook: bad or missing signature")
        return HttpResponseForbidden()
    provider_id = request.POST.get("MessageSid") or request.POST.get("SmsSid", "")
    from_number = request.POST.get("From", "")
    if not provider_id or not from_number:
        return HttpResponseBadRequest()
    services.inbound_receive(
        provider_id=provider_id[:64],
        from_number=from_number[:64],
        to_number=request.POST.get("To", ""),
        body=request.POST.get("Body", "")[:1600],
        opt_out_type=request.POST.get("OptOutType", ""),
    )
    return _empty_twiml()


@public
@csrf_exempt
@require_POST
def sms_status(request):
    if not signature_is_valid(request):
        logger.warning("sms status callback: bad or missing signature")
        return HttpResponseForbidden()
    try:
        message_id = int(request.GET.get("message", "") or 0) or None
    except ValueError:
        message_id = None
    services.message_status_record(
        provider_id=(request.POST.get("MessageSid") or request.POST.get("SmsSid", ""))[:64],
        provider_status=request.POST.get("MessageStatus") or request.POST.get("SmsStatus", ""),
        error_code=request.POST.get("ErrorCode", "")[:16],
        message_id=message_id,
    )
    return HttpResponse("", content_type="text/plain")
