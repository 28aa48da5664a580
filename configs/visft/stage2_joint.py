# Stage 2: ViSFT joint LoRA fine-tuning of EVA-ViT-E (4.4 B, the paper's main model), 50k iterations on 8 GPUs.
#   tools/dist_train.sh configs/visft/stage2_joint.py 8
# after the three stage-1 runs (stage1_{caption,detr,mask2former}_eva_e.py): backbone, heads, pipelines,
# dataloaders and metrics are read from those configs, the head weights from their last checkpoints (as in
# stage2_joint_eva_g.py).  The 5k checkpoint is the paper's default ViSFT model; export it with
# tools/model_converters/eva_convert.py export ... --lora iter_5000.pth.
_base_ = ['../_base_/models/visft.py', '../_base_/schedules/stage2_50k.py', '../_base_/stage2_runtime.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_: not a lazy config)

model, train_dataloader, val_dataloader, test_dataloader, val_evaluator, test_evaluator = stage2_from_stage1(
    caption='{{ fileDirname }}/stage1_caption_eva_e.py', detection='{{ fileDirname }}/stage1_detr_eva_e.py',
    segmentation='{{ fileDirname }}/stage1_mask2former_eva_e.py', batch_size=_base_.stage2_batch_size)
