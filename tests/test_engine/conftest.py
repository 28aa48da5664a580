import functools
import http.server
import threading
import uuid

import pytest
import torch
from engine_test_models import WritesFile, make_visft_runner
from mmengine.runner import Runner


@pytest.fixture
def make_runner():
    """An iteration-based mmengine Runner over a small map-style dataset, checkpointing every 2 iterations."""

    def make(model, dataset, work_dir, max_iters, lr=0.01, **kwargs):
        return Runner(
            model=model, work_dir=str(work_dir),
            train_dataloader=dict(dataset=dataset, sampler=dict(type='DefaultSampler', shuffle=True),
                                  batch_size=2, collate_fn=dict(type='default_collate')),
            optim_wrapper=dict(optimizer=dict(type='AdamW', lr=lr)),
            train_cfg=dict(by_epoch=False, max_iters=max_iters),
            default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False)),
            # a unique name: runners made within one second would otherwise share a MessageHub
            experiment_name=uuid.uuid4().hex, randomness=dict(seed=1), **kwargs)

    return make


@pytest.fixture
def visft_runner():
    """:func:`make_visft_runner`: a Runner with visft_mm's default runtime hooks on a linear regression."""
    return make_visft_runner


@pytest.fixture
def crafted_checkpoint(tmp_path):
    """(checkpoint path, marker path): an mmengine-looking checkpoint that would write the marker."""
    path, marker = tmp_path / 'served' / 'crafted.pth', tmp_path / 'code_ran.txt'
    path.parent.mkdir()
    torch.save(dict(meta=dict(iter=2), state_dict={}, message_hub=WritesFile(marker)), path)
    return path, marker


class _QuietHandler(http.server.SimpleHTTPRequestHandler):

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    """Serves a folder on 127.0.0.1 from a thread; yields ``serve(folder) -> base URL``; stopped afterwards."""
    servers = []

    def serve(folder):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
        thread = threading.Thread(target=server.serve_forever, kwargs=dict(poll_interval=0.05), daemon=True)
        thread.start()
        servers.append((server, thread))
        return f'http://127.0.0.1:{server.server_address[1]}'

    yield serve
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
