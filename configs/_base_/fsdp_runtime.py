# FSDP through mmengine's FlexibleRunner (add to a config's _base_; run with tools/dist_train.sh CONFIG N).
# use_orig_params=True: frozen and trainable weights may share a unit (mmengine's default too); visft_mm's wrap
# policy gives each EVA block its unit and each LoRA matrix / trainable head part its own, so the frozen weights
# get no gradient (pytorch #104690).  state_dict_cfg='full': rank 0 writes one checkpoint with plain keys (the DDP
# checkpoint's form: --resume, eva_convert.py and every evaluation's --lora read it); 'local' is refused (its
# optimizer state is FSDP ShardedTensors that weights-only loading cannot read).
runner_type = 'FlexibleRunner'
strategy = dict(
    type='visft_mm.ResumableFSDPStrategy',  # mmengine's FSDPStrategy, resume fixed for torch >= 2.1
    state_dict_cfg='full',
    model_wrapper=dict(
        type='MMFullyShardedDataParallel',
        use_orig_params=True,
        auto_wrap_policy=dict(type='visft_mm.trainable_apart_wrap_policy', module_names=('EVABlock', ))))
