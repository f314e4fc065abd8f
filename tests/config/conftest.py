import pytest

from tests.config.production import migrated_database


@pytest.fixture(scope="session")
def production_db(tmp_path_factory: pytest.TempPathFactory):
    return migrated_database(tmp_path_factory)
