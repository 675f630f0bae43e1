from django.urls import path

from polyvox.record import views

app_name = "record"
urlpatterns = [
    path("record/", views.record_list, name="list"),
    path("record.jsonl", views.record_download, name="download"),
    path("record/checkpoint.txt", views.record_checkpoint, name="checkpoint"),
]
