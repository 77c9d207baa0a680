"""The write stage: put a finished site in place atomically.

Everything is written into a fresh folder beside the output first. Then, on Linux, the two
folders are exchanged in one ``renameat2(RENAME_EXCHANGE)`` call, so at every instant the output
path holds either the whole previous site or the whole new one — a build killed at any moment
(kill -9, power loss) never leaves half a site. Elsewhere a rename pair is used, and a leftover
previous site is restored by the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import threading
import time
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .i18n import Text, msg

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

#: Written into every site sitegen makes. A build replaces an existing folder only if it holds
#: this file (or is empty): the output folder is sitegen's alone, never a team's files.
SITE_MARKER = ".sitegen-site"
MARKER_NOTE = "This folder is a site built by sitegen. Every build replaces all of it: keep nothing else here."
_TEAM_FOLDERS = ("records", "templates", ".git", ".sitegen-cache")


class UnsafeOutput(Exception):
    """The output folder given would destroy something that is not a site sitegen made."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


def check_output_folder(root: Path, output: Path) -> None:
    """Refuse an output folder whose replacement would lose a team's files.

    A build swaps the whole output folder for the new site, so that folder must be the
    site's alone: not the team's repository or a folder above it, not inside its records,
    templates, .git or cache, not a file, and, when it exists, either empty or a site
    sitegen wrote (it holds ``SITE_MARKER``). Paths are compared after following symbolic
    links, so a link cannot lead a build into the records. MkDocs refuses a site_dir inside
    docs_dir for the same reason."""
    root = root.resolve()
    shown = str(output)
    if output.is_symlink():
        raise UnsafeOutput(msg("the output {shown} is a symbolic link: give the folder itself, so that a build cannot replace what the link points to", shown=shown))
    target = output.parent.resolve() / output.name if output.name not in ("", ".", "..") else output.resolve()
    if target == root or root.is_relative_to(target):
        raise UnsafeOutput(msg("the output {shown} is the team's repository or a folder above it: a build replaces its output folder whole. Build into a folder of its own, such as 'site'", shown=shown))
    for name in _TEAM_FOLDERS:
        folder = (root / name).resolve()
        if target == folder or target.is_relative_to(folder):
            raise UnsafeOutput(msg("the output {shown} is inside the team's {name}/: a build replaces its output folder whole. Build into a folder of its own, such as 'site'", shown=shown, name=name))
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(msg("the output {shown} is a file, not a folder: a build would replace it. Build into a folder of its own, such as 'site'", shown=shown))
    if target.is_dir() and not is_sitegen_site(target) and any(target.iterdir()):
        raise UnsafeOutput(msg("the output {shown} holds files that sitegen did not write (it has no {marker}), and a build replaces the whole folder. Choose an empty or new folder, or delete this one yourself if it is an old site", shown=shown, marker=SITE_MARKER))


def is_sitegen_site(folder: Path) -> bool:
    """Whether ``folder`` is a site sitegen wrote (it holds the marker file)."""
    return (folder / SITE_MARKER).is_file()


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ≥ 3.15); False where the call is not available."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _staging_paths(output: Path) -> tuple[Path, Path]:
    return output.with_name(f".{output.name}.new"), output.with_name(f".{output.name}.old")


def recover(output: Path) -> None:
    """Tidy what an interrupted build left: restore a previous site, drop half-written ones."""
    new, old = _staging_paths(output)
    if not output.exists() and old.is_dir():
        old.rename(output)
    for leftover in (new, old):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
    for trash in output.parent.glob(f".{output.name}.trash-*"):
        pid = trash.name.rsplit(".trash-", 1)[1].split("-")[0]
        if pid != str(os.getpid()):  # this process's own are being deleted by a thread
            shutil.rmtree(trash, ignore_errors=True)


def tidy(output: Path) -> None:
    """What a build that finds its site up to date still does: drop what a killed build left
    beside the site (it writes nothing else, so nothing else would)."""
    new, old = _staging_paths(output.absolute())
    if new.exists() or old.exists() or any(output.absolute().parent.glob(f".{output.name}.trash-*")):
        with _exclusive(output.absolute()):
            recover(output.absolute())


def checked_relative(relative: str) -> str:
    """A page path that stays inside the site whatever it holds. Checked by its text, not by
    resolving it: the staging folder is new and holds no symlinks, and resolving costs a system
    call per path component on every one of thousands of files."""
    if (not relative or relative.startswith("/") or "\\" in relative or "\0" in relative
            or any(part in ("", ".", "..") for part in relative.split("/"))):
        raise ValueError(f"refusing to write outside the site: {relative!r}")
    return relative


def safe_relative(relative: str) -> PurePosixPath:
    return PurePosixPath(checked_relative(relative))


class Stage:
    """The new site being written beside the output; ``write`` may be called from forked workers.
    Its files are named by strings, not Paths: a build of 15,000 pages spent a third of a second
    making Path objects to write or link them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._root = str(folder)
        self._made: set[str] = {self._root}

    def _target(self, relative: str) -> str:
        """Where a file of the site goes, its folder made (once per folder)."""
        target = f"{self._root}/{checked_relative(relative)}"
        parent = target.rpartition("/")[0]
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return target

    def write(self, relative: str, content: bytes) -> None:
        with open(self._target(relative), "wb") as file:
            file.write(content)

    def link(self, relative: str, previous_site: Path) -> bool:
        """Reuse a file of the previous site unchanged (a hard link: no copy); False if it is gone."""
        target = self._target(relative)
        try:
            os.link(f"{previous_site}/{relative}", target)
            return True
        except OSError:
            return False

    def remove(self, relative: str) -> None:
        try:
            os.unlink(f"{self._root}/{checked_relative(relative)}")
        except FileNotFoundError:
            pass

    def copy_tree(self, relative: str, source: Path) -> None:
        shutil.copytree(source, self.folder / safe_relative(relative), dirs_exist_ok=True)


class LiveSite(Stage):
    """The site a preview (``sitegen watch``) serves, updated in place: a page whose key is
    unchanged is left as it is, a changed one replaces its file by a rename (a browser never reads
    half a page), and what the new site no longer has is deleted. Nothing is copied or linked, so
    a rebuild writes in proportion to what changed, not to the size of the site. A published site
    is never built this way (see staged_site)."""

    def __init__(self, folder: Path, previous: AbstractSet[str]) -> None:
        super().__init__(folder)
        self.previous = previous  # every file the site held after the last build

    def write(self, relative: str, content: bytes) -> None:
        target = self._target(relative)
        folder, _, name = target.rpartition("/")
        temporary = f"{folder}/.{name}.{os.getpid()}.tmp"
        with open(temporary, "wb") as file:
            file.write(content)
        os.replace(temporary, target)

    def link(self, relative: str, previous_site: Path) -> bool:
        """The unchanged file is already in place (only this process writes here: see live_site)."""
        return relative in self.previous

    def finish(self, files: AbstractSet[str]) -> None:
        """Delete what the site held before and no longer has (``files``: all it holds now)."""
        for stale in self.previous - files:
            (self.folder / safe_relative(stale)).unlink(missing_ok=True)


@contextmanager
def live_site(output: Path, previous: AbstractSet[str]) -> Iterator[LiveSite]:
    """Update the site at ``output`` in place (watch only: see LiveSite); one build at a time."""
    output = output.absolute()
    with _exclusive(output):
        if not is_sitegen_site(output):
            raise UnsafeOutput(msg("refusing to replace {output}: it is not a site sitegen made", output=str(output)))
        yield LiveSite(output, previous)


@contextmanager
def staged_site(output: Path, *, durable: bool = True, defer_cleanup: bool = False) -> Iterator[Stage]:
    """Yield a fresh stage; when the block ends normally, swap it in as the site at ``output``.
    If the block raises, the stage is dropped and the previous site stays as it was.

    ``durable``: flush the new files to disk before the swap (a published site must survive a
    power cut; a local preview need not). ``defer_cleanup``: delete the previous site in a
    background thread (watch: off the critical path)."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(output):
        recover(output)
        if output.is_symlink() or (output.exists() and not output.is_dir()) or (
                output.is_dir() and not is_sitegen_site(output) and any(output.iterdir())):
            raise UnsafeOutput(msg("refusing to replace {output}: it is not a site sitegen made", output=str(output)))
        new, old = _staging_paths(output)
        new.mkdir()
        try:
            stage = Stage(new)
            stage.write(SITE_MARKER, MARKER_NOTE.encode() + b"\n")  # a build replaces it with its manifest
            yield stage
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
        if durable:
            _fsync_tree(new)
        if output.exists():
            if not _exchange(new, output):
                output.rename(old)
                new.rename(output)
                shutil.rmtree(old, ignore_errors=True)
                return
            _discard(new, defer_cleanup)  # `new` now holds the previous site
        else:
            new.rename(output)


@contextmanager
def _exclusive(output: Path) -> Iterator[None]:
    """One build at a time per output folder (a watch and a build, two terminals): the second
    waits. The lock is the kernel's, so a killed build releases it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    with open(output.with_name(f".{output.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _discard(previous: Path, in_background: bool) -> None:
    """Delete the previous site; in a long-lived process (watch), off the critical path."""
    if not in_background:
        shutil.rmtree(previous, ignore_errors=True)
        return
    trash = previous.with_name(f"{previous.name[:-4]}.trash-{os.getpid()}-{time.monotonic_ns()}")
    try:
        previous.rename(trash)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)
        return
    threading.Thread(target=shutil.rmtree, args=(trash,), kwargs={"ignore_errors": True}, daemon=True).start()


def _fsync_tree(folder: Path) -> None:
    """Flush the new files before the swap, so a power cut cannot expose empty files."""
    try:
        os.sync()
    except AttributeError:  # pragma: no cover - not on every platform
        pass
