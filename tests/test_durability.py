"""A committed label survives the process being killed the instant the call returns."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from annotator.project import Project

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from annotator.project import Project
    p = Project.open(sys.argv[1])
    doc_id = int(sys.argv[2])
    for i in range(int(sys.argv[3])):
        p.add_annotation(doc_id, "killed-coder", "hedge", i, i + 3)
    p.set_document_label(doc_id, "killed-coder", "tone", "negative")
    sys.stdout.write("returned\\n"); sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_labels_survive_sigkill_right_after_the_call(article_project):
    location = article_project.location
    doc_id = article_project.document_id_for("drohnen")
    article_project.close()
    done = subprocess.run([sys.executable, "-c", CHILD, location, str(doc_id), "25"], capture_output=True, text=True)
    assert done.returncode == -9, done.stderr
    assert done.stdout == "returned\n"
    with Project.open(location) as p:
        spans = p.annotations(doc_id, coder="killed-coder")
        assert len(spans) == 25
        assert [l.value for l in p.document_labels(doc_id, "killed-coder")] == ["negative"]
