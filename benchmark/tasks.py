"""Background work of the benchmark app (thin: load by id, call one function)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from core.links import absolute_url

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
    send_mail(
        subject=f"Your AI marketing maturity result: {response.get_tier_display()}",
        message=(
            f"Your team scored {response.overall_score} out of 100 "
            f"({response.get_tier_display()}).\n\n"
            f"Your full result, with the widest gap and three moves to close it:\n{url}\n\n"
            "Anyone with this link can see the result; keep it to your team."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[response.email],
    )
