# ViSFT stage 2: the EVA-ViT (frozen) with LoRA rank 64 on the query and value projections, shared by the frozen
# stage-1 heads (set in the stage-2 config: model.heads.<task> = dict(model=<stage-1 model>, checkpoint=...)).
# alpha=1 gives peft's scaling alpha / r = 1/64, the reference code's loralib setting (peft's own default alpha of
# 8 would scale the update 8x).
_base_ = ['./eva_vit_g.py']
model = dict(
    type='ViSFT',
    backbone=dict(out_type='featmap', lora=dict(r=64, alpha=1, dropout=0.0, targets=('q_proj', 'v_proj'))),
    # 'train': frozen heads keep dropout active while the LoRA trains (the reference); 'eval': deterministic heads
    frozen_head_mode='train')
