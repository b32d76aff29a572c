"""Authentication that loads the user's membership and organization with the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MembershipBackend(ModelBackend):
    """Every request needs the membership (access, navigation) and the navigation asks for
    the user's trainer profile ("Meine Termine"): one query, not four. The profile is the
    trainings app's (`Trainer.user`, related name "trainer"); naming the relation does not
    import that app."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related(
                "membership__organization", "trainer"
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
