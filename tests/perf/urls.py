"""The app's URLs plus a bare view, the baseline the perf script compares against."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bare__/", bare), path("", include("config.urls"))]
