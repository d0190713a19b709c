from django.urls import path

from articles.cache import public_page

from . import views

app_name = "newsletter"

urlpatterns = [
    path("", public_page(views.index), name="index"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", public_page(views.index), name="detail"),
    path("<slug:slug>/subscribe/", views.subscribe, name="subscribe"),
]
