app_name = "participants"
urlpatterns: list = []
