"""A Trainyard sweep on a schedule, with Trainyard's exit-code contract (README, "Exit codes").

The task runs deploy/submit.sh (spark-submit, client mode) on the Airflow worker. A failure worth a retry (4:
infrastructure; 130/143: interrupted) is retried, and the retry resumes the sweep from its ledger: ended trials are
not run again. Bad input (2), a sweep without a successful trial (3) and a refused configuration (5) fail at once:
no retry can fix them. Variables: trainyard_home (the checkout on the worker), trainyard_master (the Spark master).
"""
from __future__ import annotations

import subprocess
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.models import Variable
from airflow.operators.python import PythonOperator

# Exit codes that a rerun cannot change.
FINAL = {2: "bad spec or input data", 3: "no trial succeeded (diverged)", 5: "Spark configuration refused"}


def run_sweep(ds: str, **_context) -> None:
    home = Variable.get("trainyard_home", default_var="/opt/trainyard")
    master = Variable.get("trainyard_master", default_var="spark://spark-master:7077")
    command = [
        f"{home}/deploy/submit.sh", "--master", master,
        "sweep", f"{home}/jobs/quickstart.conf",
        "--set", f'data.path="/data/quickstart/{ds}"',
        # One run directory per scheduled day: a retry of the day resumes it.
        "--out", f"/data/runs/quickstart-sweep/{ds}",
    ]
    code = subprocess.run(command, check=False).returncode
    if code == 0:
        return
    if code in FINAL:
        raise AirflowFailException(f"trainyard exited {code}: {FINAL[code]}")
    raise AirflowException(f"trainyard exited {code}; the retry resumes the sweep")


with DAG(
    dag_id="trainyard_quickstart_sweep",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=5), "retry_exponential_backoff": True},
    tags=["trainyard"],
) as dag:
    PythonOperator(task_id="sweep", python_callable=run_sweep, execution_timeout=timedelta(hours=6))
