# Stage 2: ViSFT joint LoRA (r=64, alpha=1 on q_proj / v_proj) of SigLIP So400m/14 through its three frozen
# stage-1 heads (stage1_{caption,detr,mask2former}_siglip_so400m.py), 50k iterations.
#   tools/dist_train.sh configs/visft/stage2_joint_siglip_so400m.py 8
_base_ = ['../_base_/models/visft.py', '../_base_/schedules/stage2_50k.py', '../_base_/stage2_runtime.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (an import before _base_ = lazy config)

_stage1 = stage2_from_stage1(caption='{{ fileDirname }}/stage1_caption_siglip_so400m.py',
                             detection='{{ fileDirname }}/stage1_detr_siglip_so400m.py',
                             segmentation='{{ fileDirname }}/stage1_mask2former_siglip_so400m.py')
model = dict(backbone=_stage1.backbone, heads=_stage1.heads)  # CLIPViT siglip-so400m + the base's LoRA
train_dataloader = _stage1.train_dataloader
train_dataloader['caption'].batch_size = 8  # paper: 8 captions / 1 detection / 1 segmentation image per GPU
val_dataloader = test_dataloader = _stage1.val_dataloader
val_evaluator = test_evaluator = _stage1.val_evaluator
del stage2_from_stage1, _stage1
