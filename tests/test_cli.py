"""The command line: exact messages, exit codes, idempotent imports, documented commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_corpus"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_sample_corpus_reports_counts_and_reasons_then_adds_nothing(tmp_path, capsys):
    db = str(tmp_path / "demo.db")
    code, out, err = run(capsys, "import", str(SAMPLE), "--project", db)
    assert code == 0, err
    first = re.search(r"(\d+) new, (\d+) duplicate, (\d+) rejected", out)
    assert first, out
    new, dup, rejected = map(int, first.groups())
    assert new >= 20 and rejected >= 3
    assert "broken_export.jsonl:" in out and "invalid JSON" in out
    assert "scan.txt: binary file" in out
    assert "leer.txt: empty text" in out
    assert "en-harbour-strike.txt" in out and "looks like 'en'" in out
    code, out, err = run(capsys, "import", str(SAMPLE), "--project", db)
    assert code == 0
    assert f"0 new, {new} duplicate" in out
    assert f"project {db}: {new} document(s)" in out


def test_import_a_missing_path_is_a_clean_error(tmp_path, capsys):
    code, out, err = run(capsys, "import", str(tmp_path / "nowhere"), "--project", str(tmp_path / "x.db"))
    assert code == 1
    assert err.strip() == f"error: {tmp_path / 'nowhere'}: no such file or folder"
    assert "Traceback" not in err


def test_column_mapping_option(tmp_path, capsys):
    csv = tmp_path / "export.csv"
    csv.write_text("Nummer;Schlagzeile;Artikeltext\n1;Titel A;Ein Text über die Gemeinde.\n", encoding="utf-8")
    db = str(tmp_path / "c.db")
    code, out, _ = run(capsys, "import", str(csv), "--project", db, "--column", "text=Artikeltext", "--column", "id=Nummer")
    assert code == 0 and "1 new" in out
    code, _, err = run(capsys, "import", str(csv), "--project", db, "--column", "body")
    assert code == 1 and "--column expects FIELD=COLUMN" in err


def test_info_and_open_errors(tmp_path, capsys):
    db = str(tmp_path / "i.db")
    run(capsys, "import", str(SAMPLE / "clean_articles.jsonl"), "--project", db)
    code, out, _ = run(capsys, "info", db)
    assert code == 0 and "documents:" in out and "blind coding: on" in out
    code, _, err = run(capsys, "info", str(tmp_path / "nope.db"))
    assert code == 1 and err.startswith("error: ") and "no such project file" in err


def test_demo_builds_three_coders_with_labels(tmp_path, capsys):
    db = str(tmp_path / "demo.db")
    code, out, err = run(capsys, "demo", "--project", db)
    assert code == 0, err
    assert "labels:" in out and "; 0 rejected" in out
    from annotator.project import Project

    with Project.open(db) as p:
        assert {"anna", "ben", "clara"} <= set(p.info().coders)
        assert len(p.annotations(coder="anna")) > 50
    code, out, _ = run(capsys, "demo", "--project", db)
    assert " 0 span label(s)" in out  # second run adds nothing


def test_codebook_export_import_round_trip(tmp_path, capsys):
    db = str(tmp_path / "cb.db")
    run(capsys, "import", str(SAMPLE / "clean_articles.jsonl"), "--project", db)
    out_file = tmp_path / "book.toml"
    assert run(capsys, "codebook", "export", str(out_file), "--project", db)[0] == 0
    text = out_file.read_text(encoding="utf-8").replace('name = "Overall tone"', 'name = "Tonalität"')
    out_file.write_text(text, encoding="utf-8")
    assert run(capsys, "codebook", "import", str(out_file), "--project", db)[0] == 0
    from annotator.project import Project

    with Project.open(db) as p:
        assert p.codebook().get("tone").name == "Tonalität"
    bad = tmp_path / "bad.toml"
    bad.write_text('[[category]]\nid = "x"\nname = "X"\nkind = "span"\ncolour = "red"\n', encoding="utf-8")
    code, _, err = run(capsys, "codebook", "import", str(bad), "--project", db)
    assert code == 1 and "colour must look like #1f77b4" in err


def test_every_subcommand_has_accurate_help_and_is_documented():
    parser = build_parser()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) >= {"import", "info", "demo", "import-labels", "codebook", "open"}
    for name, sp in sub.choices.items():
        assert sp.format_help()
        assert f"annotator {name}" in readme, f"'{name}' is not documented in the README"


def test_console_script_runs_headless():
    exe = Path(sys.executable).with_name("annotator")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "annotator"]
    done = subprocess.run([*command, "--help"], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and "import" in done.stdout


@pytest.mark.parametrize("sub", ["import", "info", "demo", "import-labels", "codebook", "open"])
def test_subcommand_help_exits_cleanly(sub):
    with pytest.raises(SystemExit) as exc:
        main([sub, "--help"])
    assert exc.value.code == 0


def test_exchange_commands_round_trip(tmp_path, capsys):
    db = str(tmp_path / "x.db")
    assert main(["demo", "--project", db, "--quiet"]) == 0
    capsys.readouterr()
    out_jsonl = str(tmp_path / "spans.jsonl")
    assert main(["export-spans", out_jsonl, "--project", db, "--quiet"]) == 0
    assert main(["export-webanno", str(tmp_path / "tsv"), "--project", db, "--coder", "anna", "--quiet"]) == 0
    assert main(["export-manual", str(tmp_path / "manual.docx"), "--project", db]) == 0
    fresh = str(tmp_path / "fresh.db")
    main(["import", str(SAMPLE), "--project", fresh, "--quiet"])
    assert main(["import-spans", out_jsonl, "--project", fresh]) == 0
    from annotator.project import Project

    with Project.open(db) as a, Project.open(fresh) as b:
        assert len(a.annotations()) == len(b.annotations())
    assert main(["import-spans", out_jsonl, "--project", fresh]) == 0  # again: adds nothing
    with Project.open(db) as a, Project.open(fresh) as b:
        assert len(a.annotations()) == len(b.annotations())


def test_agreement_command_matches_the_independent_library(tmp_path, capsys):
    import json

    import krippendorff
    import numpy as np

    db = str(tmp_path / "a.db")
    assert main(["demo", "--project", db, "--quiet"]) == 0
    capsys.readouterr()
    out_json = tmp_path / "r.json"
    assert main(["agreement", "--project", db, "--json", str(out_json), "--samples", "50", "-q"]) == 0
    table = capsys.readouterr().out
    assert "all span categories" in table and "95% CI" in table
    data = json.loads(out_json.read_text(encoding="utf-8"))
    raw = next(m for m in data["raw_document_codes"] if m["category"] == "tone")
    matrix = np.array([[np.nan if v is None else v for v in row] for row in raw["codes"]], dtype=float)
    theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal")
    ours = next(r for r in data["document_categories"] if r["category"] == "tone")["alpha"]
    assert abs(ours - theirs) < 1e-9
    xlsx = tmp_path / "r.xlsx"
    assert main(["agreement", "--project", db, "--xlsx", str(xlsx), "--samples", "0", "-q"]) == 0
    assert xlsx.stat().st_size > 5000



def test_agreement_refuses_no_documents_and_warns_about_few_units(tmp_path, capsys):
    from annotator.domain import Status
    from annotator.project import Project

    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Das dürfte dauern, heisst es."}\n{"id": "b", "text": "Der Rat tagt."}\n', encoding="utf-8")
    db, xlsx, out = str(tmp_path / "s.db"), tmp_path / "r.xlsx", tmp_path / "r.json"
    assert main(["import", str(corpus), "--project", db, "-q"]) == 0
    with Project.open(db) as p:
        doc = p.document_id_for("a")
        for coder in ("anna", "ben"):
            p.add_annotation(doc, coder, "hedge", 4, 10)
        p.set_status(doc, "anna", Status.DONE)
    capsys.readouterr()
    assert main(["agreement", "--project", db, "--xlsx", str(xlsx), "--json", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no document was marked done by all of: anna, ben (of the 2 document(s) in scope: anna 1, ben 0)")
    assert not xlsx.exists() and not out.exists()
    assert main(["agreement", "--project", db, "--status", "done,in_progress", "--xlsx", str(xlsx), "--samples", "0", "-q"]) == 0
    table = capsys.readouterr().out
    hedge = table[table.index("\nhedge") :]
    assert hedge.splitlines()[2].strip().startswith("! few units: 1 of the 1 documents have a 'hedge' span")
    assert xlsx.exists()

def test_project_patterns_override_is_kept_in_the_project(tmp_path, capsys):
    import shutil

    db = str(tmp_path / "p.db")
    assert main(["import", str(SAMPLE / "clean_articles.jsonl"), "--project", db, "-q"]) == 0
    own = tmp_path / "patterns"
    shutil.copytree(ROOT / "resources" / "patterns", own, ignore=shutil.ignore_patterns("extra", "README*"))
    (own / "hedge.jsonl").write_text('{"label": "hedge", "pattern": [{"LOWER": "bald"}], "id": "hedge_bald"}\n', encoding="utf-8")
    assert main(["suggest", "--project", db, "--patterns", str(own), "--stats", "-q"]) == 0
    out = capsys.readouterr().out
    assert "hedge_bald" in out and "hedge_konjunktiv" not in out
    from annotator.project import Project

    with Project.open(db) as p:
        assert p.settings().patterns_dir == str(own.resolve())
    assert main(["suggest", "--project", db, "--patterns", "default", "-q"]) == 0
    assert "document(s) processed" in capsys.readouterr().out


def test_train_then_suggest_with_rules_and_model(tmp_path, capsys):
    from annotator.project import Project

    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(6):
        (corpus / f"a{i}.txt").write_text(
            f"Titel {i}\n\nDer Rat könnte das Gesetz ändern. «Wir prüfen alles», sagte Frau Muster {i}.\n\nDas dürfte teuer werden.",
            encoding="utf-8",
        )
    db = str(tmp_path / "t.db")
    assert main(["import", str(corpus), "--project", db, "-q"]) == 0
    with Project.open(db) as p:
        for doc in p.iter_documents():
            for cue in ("könnte", "dürfte"):
                at = doc.text.index(cue)
                p.add_annotation(doc.id, "anna", "hedge", at, at + len(cue))
    capsys.readouterr()
    assert main(["train", "--project", db, "--category", "hedge", "--max-epochs", "3", "--max-seconds", "60", "-q"]) == 0
    out = capsys.readouterr().out
    assert "hedge" in out and "overlap" in out and "now uses this model" in out
    with Project.open(db) as p:
        assert p.settings().model_dir
    assert main(["suggest", "--project", db, "-q"]) == 0
    assert "suggestion(s) stored" in capsys.readouterr().out
