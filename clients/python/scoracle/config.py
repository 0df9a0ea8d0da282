"""Where the server and the token come from, for the ``scoracle`` command
and for ``Client()`` alike: an explicit value, else $SCORACLE_URL /
$SCORACLE_TOKEN, else the config file ($SCORACLE_CONFIG, or
$XDG_CONFIG_HOME/scoracle/config.ini, or ~/.config/scoracle/config.ini;
section [scoracle], keys url and token, written by ``scoracle register
--save``), else http://127.0.0.1:8080 without a token."""

import configparser
import os

DEFAULT_URL = "http://127.0.0.1:8080"


def config_path():
    explicit = os.environ.get("SCORACLE_CONFIG")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(
        os.path.expanduser("~"), ".config")
    return os.path.join(base, "scoracle", "config.ini")


def read_config(path):
    cp = configparser.ConfigParser()
    if path and os.path.exists(path):
        cp.read(path)
    return dict(cp["scoracle"]) if cp.has_section("scoracle") else {}


def save_config(path, **values):
    cp = configparser.ConfigParser()
    if os.path.exists(path):
        cp.read(path)
    if not cp.has_section("scoracle"):
        cp.add_section("scoracle")
    for k, v in values.items():
        cp["scoracle"][k] = v
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        cp.write(f)


def settings(url=None, token=None, path=None):
    """(url, token) by the precedence above."""
    conf = read_config(path or config_path())
    url = url or os.environ.get("SCORACLE_URL") or conf.get("url") \
        or DEFAULT_URL
    token = token or os.environ.get("SCORACLE_TOKEN") or conf.get("token")
    return url, token
