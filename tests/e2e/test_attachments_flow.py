"""Attachments in the browser: the panel loads on the customer page, files are uploaded through
the file input (the keyboard's way) and by dropping them on the drop zone, a refused file is
named in the panel, the download is a download, and a deletion confirms first."""

import pytest

from documents.models import Attachment
from tests.documents import samples
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

DROP = """([zone, name, bytes]) => {
  const transfer = new DataTransfer();
  transfer.items.add(new File([new Uint8Array(bytes)], name, {type: "application/pdf"}));
  const options = {dataTransfer: transfer, bubbles: true, cancelable: true};
  zone.dispatchEvent(new DragEvent("drop", options));
}"""


def test_upload_drop_download_and_delete(open_page, tmp_path):
    manager = UserFactory(username="xiaoming", first_name="小明", role=role("manager"))
    customer = CustomerFactory(manager=manager, name="聪海信息科技有限公司")
    contract = tmp_path / "合同.pdf"
    contract.write_bytes(samples.PDF)
    disguised = tmp_path / "setup.pdf"
    disguised.write_bytes(samples.EXE)

    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    page.goto(f"/customers/{customer.number}/")
    panel = page.locator("[data-testid=attachments-panel]")
    panel.locator("[data-testid=attachments-empty]").wait_for()

    # The file input itself: reachable and usable without a mouse.
    page.set_input_files("input[name=files]", [str(disguised)])
    page.click("[data-testid=attachment-submit]")
    page.locator("[data-testid=attachments-errors]").wait_for()
    assert "“setup.pdf” is not a file type" in page.inner_text("[data-testid=attachments-errors]")
    assert not Attachment.objects.exists()

    page.set_input_files("input[name=files]", [str(contract)])
    page.focus("[data-testid=attachment-submit]")
    page.keyboard.press("Enter")
    page.locator("[data-testid=attachments-notice]").wait_for()
    assert page.locator("[data-testid=attachment-row]").count() == 1

    # Dropping a file on the drop zone uploads it.
    zone = page.locator("[data-testid=attachment-drop]").element_handle()
    page.evaluate(DROP, [zone, "报价.pdf", list(samples.PDF)])
    page.locator("[data-testid=attachment-row]", has_text="报价.pdf").wait_for()
    assert Attachment.objects.count() == 2

    with page.expect_download() as download:
        page.click("[data-testid=attachment-download]:has-text('合同.pdf')")
    assert download.value.suggested_filename == "合同.pdf"

    page.locator("[data-testid=attachment-row]", has_text="合同.pdf").locator(
        "[data-testid=attachment-delete]"
    ).click()
    page.click("[data-testid=confirm-delete]")
    page.wait_for_selector("text=Attachment “合同.pdf” was deleted.")
    page.locator("[data-testid=attachment-row]", has_text="报价.pdf").wait_for()
    assert list(Attachment.objects.values_list("name", flat=True)) == ["报价.pdf"]
    assert page.console_errors == []


def test_too_large_a_file_is_refused_before_sending(open_page, tmp_path, settings):
    settings.ATTACHMENT_MAX_BYTES = 50
    manager = UserFactory(username="xiaoming", role=role("manager"))
    customer = CustomerFactory(manager=manager)
    big = tmp_path / "大文件.pdf"
    big.write_bytes(samples.PDF + b"0" * 100)

    page = open_page("zh-CN")
    login(page, "xiaoming", PASSWORD)
    page.goto(f"/customers/{customer.number}/")
    page.locator("[data-testid=attachments-empty]").wait_for()
    page.set_input_files("input[name=files]", [str(big)])
    message = page.locator(".attachment-client-error")
    message.wait_for()
    assert "大文件.pdf" in message.inner_text()
    page.click("[data-testid=attachment-submit]")
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_loaded_panel_passes_axe(open_page, locale):
    from documents.services import attachments_add
    from tests.e2e.test_accessibility import AXE, AXE_RUN

    manager = UserFactory(username="xiaoming", role=role("manager"))
    customer = CustomerFactory(manager=manager)
    attachments_add(
        actor=manager,
        kind="customer",
        object_id=customer.pk,
        files=[samples.upload("合同.pdf", samples.PDF)],
    )
    page = open_page(locale, bypass_csp=True)
    login(page, "xiaoming", PASSWORD)
    problems = []
    for url in (f"/customers/{customer.number}/", f"/documents/customer/{customer.pk}/"):
        page.goto(url)
        page.locator("[data-testid=attachment-row]").wait_for()
        page.add_script_tag(path=str(AXE))
        problems.extend(f"{url}: {violation}" for violation in page.evaluate(AXE_RUN))
    page.click("[data-testid=attachment-delete]")
    page.add_script_tag(path=str(AXE))
    problems.extend(f"delete page: {violation}" for violation in page.evaluate(AXE_RUN))
    assert problems == []
