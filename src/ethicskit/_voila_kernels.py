"""A kernel manager for the kit's Voila servers that caps how many kernels run at once.

Every page view of a Voila app starts a kernel, so anonymous reloads could
start kernels until memory runs out. With this class
(``--VoilaConfiguration.multi_kernel_manager_class``), a page view beyond
``max_kernels`` running kernels gets HTTP 503 ("busy, try again") instead.
Imported only by the Voila process.
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Int

TOO_MANY = ("this app already runs {count} kernels, its limit (CappedKernelManager.max_kernels); close a tab or wait "
            "a minute for idle ones to be culled, then reload")


class CappedKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` that refuses to start more than ``max_kernels`` kernels."""

    max_kernels = Int(8, config=True, help="Most kernels running at once; a page view beyond it gets HTTP 503.")

    _starting = 0  # kernels being started: page views arrive concurrently

    async def start_kernel(self, *args, **kwargs):
        if kwargs.get("kernel_id") in self:  # reconnecting to a running kernel starts nothing
            return await super().start_kernel(*args, **kwargs)
        count = len(self.list_kernel_ids()) + self._starting
        if count >= self.max_kernels:
            self.log.warning("Refusing a new kernel: %d running, max_kernels is %d", count, self.max_kernels)
            raise web.HTTPError(503, TOO_MANY.format(count=count))
        self._starting += 1
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1
