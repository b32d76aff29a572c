from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import accounts

urlpatterns = [
    path("anmelden/", accounts.LoginView.as_view(), name="login"),
    path("aktiv/", accounts.session_ping, name="session_ping"),
    path("zweiter-faktor/", accounts.second_factor, name="second_factor"),
    path("zweiter-faktor/einrichten/", accounts.second_factor_setup, name="second_factor_setup"),
    path("zweiter-faktor/pruefen/", accounts.second_factor_verify, name="second_factor_verify"),
    path("einstellungen/", accounts.account_settings, name="account_settings"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("passwort/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "passwort/fertig/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("passwort-vergessen/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort-vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "passwort-neu/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "passwort-neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
