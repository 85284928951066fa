"""Background work of the benchmark app (thin: load by id, call one function)."""

from celery import shared_task
from django.urls import reverse

from core.links import absolute_url
from core.mail import mail_send

from .models import Response


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    acks_late=True,
)
def result_link_send(response_id: int) -> None:
    """Email the result link to the address saved on the response.

    Transient mail errors (OSError: connection refused, timeouts) retry with backoff, at
    most five times. A response without an email sends nothing.
    """
    response = Response.objects.filter(pk=response_id).exclude(email="").first()
    if response is None:
        return
    url = absolute_url(reverse("benchmark:result", kwargs={"public_id": response.public_id}))
    tier = response.get_tier_display()
    mail_send(
        to=[response.email],
        subject=f"Your AI marketing maturity result: {tier}",
        template="result_link",
        context={"score": response.overall_score, "tier": tier, "url": url},
    )
