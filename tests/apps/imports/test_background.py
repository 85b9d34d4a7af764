"""The web upload is checked and written by background jobs: the request stores the file and
enqueues the check; the page shows the progress (and says when no worker is alive), then the
preview; confirming enqueues the write. The jobs run here in-process from the database queue, as
``bosetting worker --burst`` does, and are safe to run again."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult
from tests.apps.jobs.helpers import run_queued_jobs

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.housing.models import HousingUnit
from bosetting.apps.imports import parsing, runner
from bosetting.apps.imports.models import ImportBatch
from bosetting.apps.imports.services import do_confirm, do_upload
from bosetting.apps.planning.models import CouncilDecision

from .conftest import SAMPLES, csv_bytes

pytestmark = pytest.mark.django_db

NO_WORKER = "Ingen bakgrunnsprosess kjører – filen behandles når en prosess er i gang."
UNITS = "kode,kommunenummer,type,soverom,maks_personer,senger,sone,tilrettelagt,ledig_fra,husleie"


def _upload(client, kind, content, name):
    return client.post("/import/", {"kind": kind, "file": SimpleUploadedFile(name, content)})


def _units_csv(n: int) -> bytes:
    return csv_bytes(UNITS, *[f"K-{i:05d},1201,kommunal,2,4,1,Sentrum,nei,,9000" for i in range(n)])


def test_the_upload_only_stores_the_file_and_queues_its_check(
    client, imdi_officer, db_queue, monkeypatch
):
    def no_reading(*args, **kwargs):
        raise AssertionError("the request read the file's rows")

    monkeypatch.setattr(parsing, "read_table", no_reading)
    monkeypatch.setattr(parsing, "_scan_sheet", no_reading)
    client.force_login(imdi_officer)
    response = _upload(client, "units", _units_csv(2000), "boliger.csv")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/import/{batch.pk}/"
    assert batch.status == "queued" and batch.size > 0 and batch.report == {}
    job = DBTaskResult.objects.get(pk=batch.task_id)
    assert job.task_path == "bosetting.apps.imports.tasks.check_batch_task"
    assert job.args_kwargs["args"] == [batch.pk]


def test_the_page_waits_says_no_worker_runs_then_shows_the_preview(client, imdi_officer, db_queue):
    client.force_login(imdi_officer)
    _upload(client, "units", _units_csv(120), "boliger.csv")
    batch = ImportBatch.objects.get()
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert 'data-status="queued"' in page and 'hx-trigger="every 2s"' in page
    assert '<meta http-equiv="refresh" content="5">' in page  # inside <noscript>
    assert NO_WORKER in page and 'data-testid="confirm"' not in page
    fragment = client.get(f"/import/{batch.pk}/", headers={"HX-Request": "true"})
    assert NO_WORKER in fragment.content.decode() and "HX-Refresh" not in fragment

    ran = run_queued_jobs()
    assert [job.name for job in ran] == ["check_batch_task"]
    batch.refresh_from_db()
    assert batch.status == "previewed" and (batch.done, batch.total) == (120, 120)
    fragment = client.get(f"/import/{batch.pk}/", headers={"HX-Request": "true"})
    assert fragment["HX-Refresh"] == "true"  # the browser reloads the full page
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert 'data-testid="confirm"' in page and "hx-trigger" not in page
    assert '<div class="value">120</div>nye' in page.replace("\n", "").replace("  ", "")
    assert HousingUnit.objects.count() == 0  # a preview writes nothing


def test_a_live_worker_means_no_notice(client, imdi_officer, db_queue):
    from bosetting.apps.jobs.services import do_register_worker

    client.force_login(imdi_officer)
    _upload(client, "units", _units_csv(3), "boliger.csv")
    do_register_worker("alive")
    page = client.get(f"/import/{ImportBatch.objects.get().pk}/").content.decode()
    assert NO_WORKER not in page and "Filen kontrolleres i bakgrunnen" in page


def test_the_progress_is_shown_while_the_job_runs(client, imdi_officer, db_queue):
    client.force_login(imdi_officer)
    _upload(client, "units", _units_csv(3), "boliger.csv")
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="checking", stage="check", done=2000, total=50000
    )
    fragment = client.get(f"/import/{batch.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert '<progress max="50000" value="2000"' in fragment
    assert "Kontrollerer rader: 2000 av 50000" in fragment


def test_confirming_queues_the_write_which_writes_every_row(client, imdi_officer, db_queue):
    client.force_login(imdi_officer)
    _upload(client, "decisions", (SAMPLES / "decisions.csv").read_bytes(), "vedtak.csv")
    run_queued_jobs()
    batch = ImportBatch.objects.get()
    client.post(f"/import/{batch.pk}/bekreft/")
    batch.refresh_from_db()
    assert batch.status == "confirmed" and CouncilDecision.objects.filter(year=2016).count() == 0
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert "Filen lagres i bakgrunnen" in page and NO_WORKER in page
    again = client.post(f"/import/{batch.pk}/bekreft/", follow=True).content.decode()
    assert "Filen lagres allerede." in again

    assert [job.name for job in run_queued_jobs()] == ["write_batch_task"]
    batch.refresh_from_db()
    assert batch.status == "imported" and batch.imported_at is not None
    assert CouncilDecision.objects.filter(year__range=(2016, 2018)).count() == 5
    assert (
        AuditEntry.objects.filter(object_type="imports.importbatch", action="import").count() == 1
    )


def test_the_check_is_safe_to_run_again(imdi_officer, db_queue):
    batch = do_upload(imdi_officer, "units", _units_csv(10), "boliger.csv")
    # A worker that died in the middle left the batch "checking": the next attempt starts over.
    ImportBatch.objects.filter(pk=batch.pk).update(status="checking", stage="read", done=5)
    assert runner.check_batch(batch.pk) == "previewed"
    batch.refresh_from_db()
    first = batch.report
    assert first["created"] == 10 and first["errors"] == []
    # Once checked, a repeated job leaves it alone.
    assert runner.check_batch(batch.pk) == "previewed"
    batch.refresh_from_db()
    assert batch.report == first
    run_queued_jobs()  # the queued job itself: also a no-op now
    batch.refresh_from_db()
    assert batch.report == first and HousingUnit.objects.count() == 0


def test_the_write_is_safe_to_run_again(imdi_officer, db_queue):
    batch = do_upload(imdi_officer, "units", _units_csv(25), "boliger.csv")
    run_queued_jobs()
    do_confirm(imdi_officer, batch.pk)
    # An attempt that died before committing left "writing" and no rows: it starts over.
    ImportBatch.objects.filter(pk=batch.pk).update(status="writing")
    assert runner.write_batch(batch.pk) == "imported"
    assert HousingUnit.objects.count() == 25
    entries = AuditEntry.objects.filter(object_type="housing.housingunit").count()
    # The queued job and any later repetition find it finished and write nothing more.
    run_queued_jobs()
    assert runner.write_batch(batch.pk) == "imported"
    assert HousingUnit.objects.count() == 25
    assert AuditEntry.objects.filter(object_type="housing.housingunit").count() == entries == 25


def test_a_job_that_raises_is_given_up_and_the_batch_says_so(imdi_officer, db_queue, monkeypatch):
    batch = do_upload(imdi_officer, "units", _units_csv(3), "boliger.csv")

    def broken(*args, **kwargs):
        raise RuntimeError("databasen forsvant")

    monkeypatch.setattr(runner, "run_import", broken)
    run_queued_jobs()
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert "Bakgrunnsjobben feilet" in batch.error and "databasen forsvant" in batch.error


def test_a_job_given_up_after_dead_workers_marks_the_batch_failed(imdi_officer, db_queue, settings):
    from datetime import timedelta

    from django.utils import timezone

    from bosetting.apps.jobs.services import do_recover_stale_jobs

    settings.BOSETTING_JOB_MAX_ATTEMPTS = 2
    batch = do_upload(imdi_officer, "units", _units_csv(3), "boliger.csv")
    # The check job is claimed by two workers in turn, and both die.
    job = DBTaskResult.objects.get(pk=batch.task_id)
    job.claim("dead-1")
    job.claim("dead-2")
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    ImportBatch.objects.filter(pk=batch.pk).update(status="checking")
    (recovered,) = do_recover_stale_jobs()
    assert recovered.given_up
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert batch.error == "Bakgrunnsprosessen stoppet under jobben 2 ganger; jobben er gitt opp."
    assert runner.check_batch(batch.pk) == "failed"  # a late repetition leaves it failed


def test_a_file_refused_by_the_job_shows_the_refusal_and_writes_nothing(
    client, imdi_officer, db_queue, settings
):
    settings.BOSETTING_IMPORT_MAX_ROWS = 50
    client.force_login(imdi_officer)
    _upload(client, "units", _units_csv(60), "boliger.csv")  # rows are counted by the job
    run_queued_jobs()
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and batch.report["limit"] == "rows"
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert 'data-testid="refusal"' in page
    assert "Filen har flere enn 50 rader under overskriften" in page
    assert "Ingenting ble lagret." in page and 'data-testid="confirm"' not in page
    assert HousingUnit.objects.count() == 0


def test_a_preview_with_row_errors_cannot_be_confirmed(imdi_officer, db_queue):
    content = csv_bytes("kommunenummer,år,antall", "1201,2016,3", "0301,2016,tre")
    batch = do_upload(imdi_officer, "decisions", content, "vedtak.csv")
    run_queued_jobs()
    batch.refresh_from_db()
    assert batch.status == "previewed" and len(batch.report["errors"]) == 1
    batch = do_confirm(imdi_officer, batch.pk)
    assert batch.status == "failed"
    assert not DBTaskResult.objects.filter(task_path__endswith="write_batch_task").exists()
    assert CouncilDecision.objects.filter(year=2016).count() == 0


def test_a_user_with_two_uploads_waiting_is_asked_to_wait(client, imdi_officer, db_queue):
    client.force_login(imdi_officer)
    for n in range(2):
        _upload(client, "units", _units_csv(n + 1), f"b{n}.csv")
    response = client.post(
        "/import/",
        {"kind": "units", "file": SimpleUploadedFile("b3.csv", _units_csv(3))},
        follow=True,
    )
    assert "Du har allerede 2 jobber i kø" in response.content.decode()
    assert ImportBatch.objects.count() == 2


def test_a_file_whose_uploader_is_no_longer_active_is_refused(imdi_officer, db_queue):
    batch = do_upload(imdi_officer, "units", _units_csv(3), "boliger.csv")
    imdi_officer.is_active = False
    imdi_officer.save()
    run_queued_jobs()
    batch.refresh_from_db()
    assert batch.status == "failed" and "finnes ikke lenger" in batch.error
    assert HousingUnit.objects.count() == 0


def test_another_users_batch_is_not_found(client, imdi_officer, municipal_officer, db_queue):
    batch = do_upload(imdi_officer, "units", _units_csv(3), "boliger.csv")
    client.force_login(municipal_officer)
    assert client.get(f"/import/{batch.pk}/").status_code == 404
    assert client.get(f"/import/{batch.pk}/", headers={"HX-Request": "true"}).status_code == 404
