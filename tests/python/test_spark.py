"""nlpd.spark.annotate (issue 15, item 2): a Spark DataFrame of a few thousand texts,
annotated by real PySpark in local mode (local[2], one JVM, two Python workers) against
three real servers that one multi-address target names.

Checks the output schema (typed columns), every row's values against the same texts
analyzed by direct client calls, the errors of bad rows in the ``error`` column (the
job does not fail), that every replica served some of the partitions' streams, and that
a replica stopped while the job runs costs no row (the batches it was serving are sent
again to the others).

Needs Java (PySpark starts a JVM): skipped, saying so, where there is none.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import nlpd
from conftest import REPO, Replica, free_port, running_replicas
from nlpd.v1 import results_pb2

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip(
        "PySpark needs Java (a JVM), which is not installed here: no java on PATH and no "
        "JAVA_HOME (Debian: apt-get install openjdk-17-jre-headless; scripts/install-deps "
        "does)",
        allow_module_level=True,
    )

import pyarrow.parquet as pq  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import types as T  # noqa: E402

from nlpd import spark as nlpd_spark  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

ANALYSES = ["entities", "sentiment", "stance"]
PARTITIONS = 4

# Written for this test: news-style sentences with people, places and organisations,
# and the cues of stance (escalating, de-escalating) and sentiment, in German and
# English, combined into short texts (each of the 3,000 is distinct).
_DE_PEOPLE = [
    "Bundeskanzler Olaf Scholz", "Außenministerin Annalena Baerbock",
    "der Kremlsprecher Dmitri Peskow", "Präsident Emmanuel Macron",
    "die Bürgermeisterin Anna Keller", "der Verteidigungsminister von Taiwan",
    "ein Sprecher der Armee", "Gewerkschaftschef Frank Werneke",
]  # fmt: skip
_DE_CITIES = ["Berlin", "Moskau", "Paris", "Kiel", "Wolfsburg", "Brüssel", "Leipzig", "Taipeh"]
_DE_CLAUSES = [
    "warnte vor einer gefährlichen Eskalation des Konflikts",
    "drohte mit harter Vergeltung für jeden Angriff",
    "rief beide Seiten zur Zurückhaltung auf",
    "lobte die schnelle und großzügige Hilfe der Stadtwerke",
    "kritisierte die katastrophale Planung der Behörden scharf",
]
_EN_PEOPLE = [
    "Chancellor Olaf Scholz", "Foreign Minister Annalena Baerbock",
    "Kremlin spokesman Dmitry Peskov", "President Emmanuel Macron",
    "Mayor Anna Keller", "the defence minister of Taiwan",
    "an army spokesman", "union leader Frank Werneke",
]  # fmt: skip
_EN_CITIES = ["Berlin", "Moscow", "Paris", "London", "Chicago", "Brussels", "Leeds", "Taipei"]
_EN_CLAUSES = [
    "warned of a dangerous escalation of the conflict",
    "threatened harsh retaliation for any attack",
    "called on both sides to show restraint",
    "praised the quick and generous help of the city council",
    "sharply criticised the disastrous planning of the authorities",
]
_DAYS = [3, 11, 19, 27]


def _texts() -> list[str]:
    german = (
        f"Am {day}. März {verb} in {city}: {person.capitalize()} {clause}."
        for day, city, person, clause in itertools.product(
            _DAYS, _DE_CITIES, _DE_PEOPLE, _DE_CLAUSES
        )
        for verb in ("hieß es",)
    )
    english = (
        f"In {city} on March {day}, {person} {clause}."
        for day, city, person, clause in itertools.product(
            _DAYS, _EN_CITIES, _EN_PEOPLE, _EN_CLAUSES
        )
    )
    texts = [t for pair in zip(german, english, strict=True) for t in pair]  # 2 x 1,280
    numbered = [f"Meldung {i}: {t}" for i, t in enumerate(texts[:440])]  # more variety
    return texts + numbered  # 3,000


TEXTS = _texts()
BAD = {"empty": "", "null": None}


@pytest.fixture(scope="module")
def replicas() -> Iterator[list[Replica]]:
    with running_replicas(3) as started:
        yield started


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    # The Python workers must be this interpreter (with nlpd, pandas and PyArrow).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    with warnings.catch_warnings():
        # PySpark warns that it "does not yet fully support pandas >= 3.0.0".
        warnings.simplefilter("ignore", FutureWarning)
        session = (
            SparkSession.builder.master("local[2]")
            .appName("nlpd-test-spark")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(PARTITIONS))
            .config("spark.sql.warehouse.dir", str(warehouse))
            .config("spark.driver.memory", "1g")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _target(replicas: list[Replica]) -> str:
    return "ipv4:" + ",".join(r.address for r in replicas)


def _expected(response: Any) -> dict[str, Any]:  # noqa: ANN401
    """What the row of ``response`` must hold, read from the protobuf messages directly
    (not through nlpd.tables, which annotate uses)."""
    text = response.document.text
    stance_name = results_pb2.Stance.Name
    document = response.sentiment.document
    return {
        "language": response.document.language,
        "entities": [
            (e.text, e.label, e.span.char_start, e.span.char_end, e.confidence)
            for e in response.entities.entities
        ],
        "sentiment": (
            results_pb2.Polarity.Label.Name(document.label),
            document.negative,
            document.neutral,
            document.positive,
            document.score,
        ),
        "statements": [
            (
                text[s.span.char_start : s.span.char_end],
                s.span.char_start,
                s.span.char_end,
                stance_name(s.stance),
                s.confidence,
                s.actor or None,
                "; ".join(text[c.char_start : c.char_end] for c in s.cues) or None,
            )
            for s in response.stance.statements
        ],
        "actors": [
            (a.actor, stance_name(a.stance), a.favor, a.against, len(a.statements))
            for a in response.stance.actors
        ],
    }


def _got(row: Any) -> dict[str, Any]:  # noqa: ANN401
    sentiment = row.sentiment
    return {
        "language": row.language,
        "entities": [(e.text, e.label, e.start, e.end, e.confidence) for e in row.entities],
        "sentiment": (
            sentiment.label,
            sentiment.negative,
            sentiment.neutral,
            sentiment.positive,
            sentiment.score,
        ),
        "statements": [
            (s.text, s.start, s.end, s.stance, s.confidence, s.actor, s.cue) for s in row.statements
        ],
        "actors": [(a.actor, a.stance, a.favor, a.against, a.statements) for a in row.actors],
    }


def test_annotate_a_dataframe_on_three_replicas(
    spark: SparkSession, replicas: list[Replica]
) -> None:
    rows = [(str(i), text) for i, text in enumerate(TEXTS)] + list(BAD.items())
    df = spark.createDataFrame(rows, "id string, text string").repartition(PARTITIONS)
    out = nlpd_spark.annotate(
        df, text_col="text", target=_target(replicas), analyses=ANALYSES, concurrency=4
    )

    assert out.schema == nlpd_spark.output_schema(df.schema, ANALYSES)
    entity = T.StructType(
        [
            T.StructField("text", T.StringType()),
            T.StructField("label", T.StringType()),
            T.StructField("start", T.IntegerType()),
            T.StructField("end", T.IntegerType()),
            T.StructField("confidence", T.FloatType()),
        ]
    )
    assert out.schema["entities"].dataType == T.ArrayType(entity)
    assert isinstance(out.schema["sentiment"].dataType, T.StructType)
    for name in ("statements", "actors"):
        element = out.schema[name].dataType
        assert isinstance(element, T.ArrayType)
        assert isinstance(element.elementType, T.StructType)
    assert [f.name for f in out.schema.fields] == [
        "id", "text", "language", "entities", "sentiment", "statements", "actors", "error",
    ]  # fmt: skip

    start = time.monotonic()
    got = {row.id: row for row in out.collect()}
    elapsed = time.monotonic() - start
    print(f"annotate: {len(TEXTS)} texts in {elapsed:.1f} s, {len(TEXTS) / elapsed:.0f} rows/s")

    assert len(got) == len(rows)
    assert got["empty"].error == "INVALID_ARGUMENT: text is empty"
    assert got["null"].error == "INVALID_ARGUMENT: column 'text' is null"
    for bad in BAD:
        assert got[bad].entities is None and got[bad].language is None

    start = time.monotonic()
    with nlpd.Client(_target(replicas), timeout=60) as client:
        direct = list(client.analyze_many(TEXTS, ANALYSES, document_view="no_tokens"))
    elapsed = time.monotonic() - start
    print(f"analyze_many, the same texts: {len(TEXTS) / elapsed:.0f} rows/s ({elapsed:.1f} s)")
    assert all(result.ok for result in direct)
    mismatches = []
    for result in direct:
        row = got[str(result.index)]
        assert row.error is None, (row.id, row.error)
        if _got(row) != _expected(result.response):
            mismatches.append((row.text, _got(row), _expected(result.response)))
    assert not mismatches, mismatches[:3]
    # The texts were written to exercise every column.
    assert sum(len(got[str(i)].statements) > 0 for i in range(len(TEXTS))) > 1000
    assert {got[str(i)].sentiment.label for i in range(len(TEXTS))} >= {"NEGATIVE", "POSITIVE"}
    assert {got[str(i)].language for i in range(len(TEXTS))} == {"de", "en"}

    # Every replica served some of the partitions' streams (counted when a stream ends).
    deadline = time.monotonic() + 10
    while not all(r.served("AnalyzeStream") > 0 for r in replicas):
        assert time.monotonic() < deadline, [r.served("AnalyzeStream") for r in replicas]
        time.sleep(0.05)


def test_a_replica_killed_during_the_job_costs_no_row(
    spark: SparkSession, replicas: list[Replica]
) -> None:
    df = spark.createDataFrame(
        [(str(i), text) for i, text in enumerate(TEXTS)], "id string, text string"
    ).repartition(PARTITIONS)
    out = nlpd_spark.annotate(df, target=_target(replicas), analyses=ANALYSES, concurrency=4)
    # Kill a replica (SIGKILL: its streams in flight are lost) as soon as it has calls
    # in flight; their records are sent again, to the others.
    victim = replicas[0]
    killed_at: list[float] = []
    job_done = threading.Event()

    def kill_when_busy() -> None:
        while not job_done.is_set():
            if victim.metric("nlpd_calls_in_flight") > 0:
                victim.kill()
                killed_at.append(time.monotonic())
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_when_busy, daemon=True)
    killer.start()
    started_at = time.monotonic()
    try:
        rows = out.select("id", "error", "language").collect()
    finally:
        finished_at = time.monotonic()
        job_done.set()
    elapsed = finished_at - started_at
    print(f"annotate, a replica killed: {len(TEXTS) / elapsed:.0f} rows/s ({elapsed:.1f} s)")
    killer.join()
    if victim.server is None:
        victim.start()  # for the other tests and the fixture's teardown
    assert killed_at and killed_at[0] < finished_at, "the job ended before the replica died"
    assert len(rows) == len(TEXTS)
    errors = [(row.id, row.error) for row in rows if row.error is not None]
    assert not errors, errors[:5]
    assert {row.language for row in rows} == {"de", "en"}


def test_no_server_is_an_error_per_row_not_a_failed_job(spark: SparkSession) -> None:
    df = spark.createDataFrame([(t,) for t in TEXTS[:5]], "text string").repartition(2)
    nowhere = f"127.0.0.1:{free_port()}"
    start = time.monotonic()
    rows = nlpd_spark.annotate(df, target=nowhere, analyses=["entities"], retries=1).collect()
    assert len(rows) == 5
    for row in rows:
        # gRPC fails the streams with UNAVAILABLE, or (many starting at once) CANCELLED.
        assert row.error is not None, row
        assert row.error.startswith(("UNAVAILABLE: ", "CANCELLED: ")), row.error
        assert row.entities is None and row.language is None
    # One retry after 0.5 s, then the error (the rest is Spark starting Python workers).
    assert time.monotonic() - start < 60


def test_the_cluster_job_of_the_docs_runs_with_spark_submit(
    replicas: list[Replica], tmp_path: Path
) -> None:
    """docs/SCALING.md's job file, run as written by spark-submit (local[2] as master)."""
    page = (REPO / "docs" / "SCALING.md").read_text(encoding="utf-8")
    after = page[page.index("<!-- spark job:") :]
    found = re.search(r"^```python\n(.*?)^```$", after, re.MULTILINE | re.DOTALL)
    assert found is not None
    job = tmp_path / "annotate_news.py"
    job.write_text(found.group(1))
    source = tmp_path / "articles.jsonl"
    records = [{"id": f"a{i}", "text": text} for i, text in enumerate(TEXTS[:200])]
    records.append({"id": "empty", "text": ""})
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    destination = tmp_path / "annotated"
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "spark-submit"),
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.ui.showConsoleProgress=false",
            str(job),
            str(source),
            str(destination),
            _target(replicas),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "PYSPARK_PYTHON": sys.executable},
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.splitlines()[-1] == "1 articles failed", done.stdout
    table = pq.read_table(destination).to_pylist()
    assert len(table) == len(records)
    by_id = {row["id"]: row for row in table}
    assert by_id["empty"]["error"] == "INVALID_ARGUMENT: text is empty"
    assert sum(bool(by_id[f"a{i}"]["entities"]) for i in range(200)) > 150
