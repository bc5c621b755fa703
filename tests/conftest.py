from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def seed_dataset():
    from migkg.pipeline import BuildReport, build_dataset

    return build_dataset([ROOT / "data" / "sources"], BuildReport())


@pytest.fixture(scope="session")
def seed_kg(tmp_path_factory):
    from migkg import pipeline

    kg = tmp_path_factory.mktemp("kg") / "dist"
    pipeline.build([ROOT / "data" / "sources"], kg)
    return kg
