"""The base class of the portal's Celery tasks."""

import functools
import logging

from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


class PortalTask(DjangoTask):
    """Queues after the commit like `DjangoTask`, but a broker that is down
    never turns a saved change into an error page: the work is recorded in the
    database first, and the periodic sweeps (reminder dispatcher and janitor,
    missing PDFs) pick it up when the broker is back."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self._publish_or_log, args, kwargs))

    def _publish_or_log(self, args: tuple, kwargs: dict) -> None:
        try:
            self.apply_async(args, kwargs)
        except OperationalError as exc:
            logger.warning("Broker unavailable, %s%s left to the periodic sweep: %s", self.name, args, exc)
        except Exception:
            # Whatever else publishing does wrong, the change is saved and a sweep recovers the work.
            logger.exception("Could not queue %s%s; left to the periodic sweep", self.name, args)
