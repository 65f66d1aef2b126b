"""The call-out fixtures (local SMTP server, webhook receiver, a worker on the test's
transaction) serve the alerts too."""

from tests.callouts.conftest import (  # noqa: F401
    _receiver_server,
    inbox,
    make_worker,
    notify_settings,
    receiver,
    smtp_server,
)
