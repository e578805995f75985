"""Shell completion, generated from the one parser: `espace-tui completion bash` prints a
script that completes the commands, the options and the folders."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Run


def complete(script: Path, *words: str) -> list[str]:
    """What bash offers for the last of `words`, with the script loaded (as bash-completion
    calls a completion function: command, word, previous word)."""
    line = " ".join(words)
    array = " ".join(f"'{word}'" for word in words)
    call = (
        f"source {script}; COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}; "
        f"COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; "
        f"_shtab_espace_tui espace-tui '{words[-1]}' '{words[-2]}'; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(["bash", "-c", call], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.fixture
def bash_script(run: Run, tmp_path: Path) -> Path:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    code, out, err = run("completion", "bash")
    assert code == 0 and err == ""
    script = tmp_path / "espace-tui.bash"
    script.write_text(out)
    return script


def test_bash_completes_the_commands(bash_script: Path) -> None:
    assert complete(bash_script, "espace-tui", "inv") == ["invoices"]
    assert complete(bash_script, "espace-tui", "lo") == ["login", "logout"]
    assert complete(bash_script, "espace-tui", "completion", "") == ["bash", "zsh", "fish", "tcsh"]


def test_bash_completes_the_options_of_a_command(bash_script: Path) -> None:
    offered = complete(bash_script, "espace-tui", "download", "--")
    assert {"--all", "--output", "--portal", "--verbose", "--quiet"} <= set(offered)
    assert sorted(complete(bash_script, "espace-tui", "--lang", "")) == ["en", "fr"]


def test_bash_completes_folders_for_download_dir(bash_script: Path, tmp_path: Path) -> None:
    (tmp_path / "Factures").mkdir()
    (tmp_path / "Facture.pdf").write_text("")
    offered = complete(bash_script, "espace-tui", "--download-dir", f"{tmp_path}/Fact")
    assert offered == [f"{tmp_path}/Factures"]


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_the_script_is_valid_for_its_shell(run: Run, tmp_path: Path, shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs it)")
    code, out, _err = run("completion", shell)
    assert code == 0 and "espace-tui" in out
    script = tmp_path / f"completion.{shell}"
    script.write_text(out)
    checked = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_fish_and_tcsh_get_a_script_too(run: Run) -> None:
    for shell in ("fish", "tcsh"):
        code, out, _err = run("completion", shell)
        assert code == 0 and "invoices" in out


def test_an_unknown_shell_is_a_usage_error(run: Run) -> None:
    code, _out, err = run("completion", "powershell")
    assert code == 2 and "invalid choice" in err
