"""Settings shared by the whole test suite."""

import os

# One intra-op thread per process: on a small machine shared with other jobs,
# torch's and OpenMP's spinning worker threads slow the tiny test networks
# several times over, and one thread gives the same numbers on every machine.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402

torch.set_num_threads(1)
