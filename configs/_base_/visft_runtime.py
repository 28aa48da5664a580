# visft_mm's reliability hooks for a config of another OpenMMLab project (mmdet, mmpretrain, mmocr, ...): one line
#   _base_ = [<your bases>, 'visft_mm::_base_/visft_runtime.py']
#   custom_imports = dict(imports=['visft_mm'], allow_failed_imports=False)
# They are custom hooks, so they add to the upstream runtime's default_hooks without clashing with its keys
# (mmengine refuses a key that two bases both set; a leaf that sets custom_hooks itself writes
# `custom_hooks = _base_.custom_hooks + [...]`).  visft_mm's own configs have the same hooks in
# default_runtime.py (as default_hooks safe_load / non_finite, overridable by name).  Atomic checkpoints replace
# the upstream CheckpointHook: default_hooks = dict(checkpoint=dict(type='visft_mm.AtomicCheckpointHook')).
custom_hooks = [
    # test() / val() / load_from: the model is initialised from init_cfg first (mmengine does it in train() only)
    dict(type='visft_mm.InitWeightsHook'),
    # load_from / resume: weights_only (URLs downloaded first), torn newest checkpoint -> newest readable one,
    # tensors of other shapes refused
    dict(type='visft_mm.SafeCheckpointLoadHook'),
    # nan / inf: stops naming the iteration (on_non_finite='skip' drops the update and counts)
    dict(type='visft_mm.NonFiniteGuardHook', on_non_finite='stop'),
    # checkpoints hold only what trains; the frozen weights come from init_cfg when the model is built again
    dict(type='visft_mm.TrainableCheckpointHook'),
    # on_unreadable_image='skip': the total of skipped images over all workers and ranks, logged
    dict(type='visft_mm.UnreadableImageCountHook'),
]
