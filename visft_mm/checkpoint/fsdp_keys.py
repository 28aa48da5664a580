"""FSDP's parameter names read as the plain model's.

Under mmengine's ``FSDPStrategy`` the wrapped model's parameter names gain ``_fsdp_wrapped_module.`` (and, with
activation checkpointing, ``_checkpoint_wrapped_module.``) segments, while its ``'full'`` state dict (what visft_mm's
FSDP configs save: one file, the DDP checkpoint's form) has the plain names; a ``'local'`` state dict also holds a
``<unit>._flat_param`` entry per FSDP unit.  The trainable-only filter and the fingerprints compare the two through
:func:`plain_key`.
"""

WRAPPER_SEGMENTS = ('_fsdp_wrapped_module.', '_checkpoint_wrapped_module.')
FLAT_PARAM = '_flat_param'


def plain_key(key: str) -> str:
    """A parameter / state-dict name without FSDP's and activation checkpointing's wrapper segments."""
    for segment in WRAPPER_SEGMENTS:
        key = key.replace(segment, '')
    return key


def is_flat_param_key(key: str) -> bool:
    return key == FLAT_PARAM or key.endswith('.' + FLAT_PARAM)
