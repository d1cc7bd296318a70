"""Builds run in the background, one thread each, with progress the page polls and a cancel
button; a build that fails only fails itself — the server goes on."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from huiwu.web import backend


@dataclass
class Job:
    """One build of one meeting's packet."""

    id: str
    meeting: str
    state: str = "running"
    """``running``, ``done``, ``failed`` or ``cancelled``."""
    stage: str = "准备中"
    log: list[str] = field(default_factory=list)
    error: str = ""
    done: int = 0
    total: int = 0
    out_dir: Path | None = None
    archive: Path | None = None
    files: list[Path] = field(default_factory=list)
    cancel: threading.Event = field(default_factory=threading.Event)

    def as_json(self) -> dict[str, object]:
        """What the page shows of the job."""
        return {
            "id": self.id,
            "state": self.state,
            "stage": self.stage,
            "log": self.log,
            "error": self.error,
            "done": self.done,
            "total": self.total,
        }


class Jobs:
    """The builds of this server run, by id."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, meeting: str, definition: Path, options: backend.BuildOptions) -> Job:
        """Start building in a thread; a second build of the same meeting waits for none."""
        with self._lock:
            for job in self._jobs.values():
                if job.meeting == meeting and job.state == "running":
                    return job
            job = Job(secrets.token_hex(8), meeting)
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, definition, options), daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        """The job of that id, if any."""
        return self._jobs.get(job_id)

    def latest(self, meeting: str) -> Job | None:
        """The last build of a meeting started in this server run."""
        found = [job for job in self._jobs.values() if job.meeting == meeting]
        return found[-1] if found else None

    def _run(self, job: Job, definition: Path, options: backend.BuildOptions) -> None:
        def progress(step: backend.Progress) -> None:
            if step.total:  # one of many (the letters): the count, not a line per item
                job.stage = f"{step.stage} {step.done}/{step.total}"
                job.done, job.total = step.done, step.total
            else:
                job.stage = step.stage
                job.log.append(step.stage)

        def notify(message: str) -> None:  # a stage without a count ("正在转换 PDF……")
            job.stage = message
            job.log.append(message)

        try:
            built = backend.build(
                definition, options, progress=progress, cancel=job.cancel, notify=notify
            )
        except backend.Cancelled as exc:
            job.state, job.error = "cancelled", str(exc)
        except backend.HuiwuError as exc:
            job.state, job.error = "failed", str(exc)
        except Exception:  # a bug in huiwu fails this build, never the server
            job.state = "failed"
            job.error = "huiwu 内部出错了，这不是您的输入造成的。请把终端窗口里的信息发给维护人员。"
            import traceback

            traceback.print_exc()
        else:
            job.out_dir, job.archive, job.files = built.out_dir, built.archive, built.files
            job.state, job.stage = "done", "完成"
