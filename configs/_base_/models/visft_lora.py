# ViSFT stage-2 LoRA: rank 64 on the query and value projections.  alpha=1 gives peft's scaling alpha / r = 1/64,
# the reference code's loralib setting (peft's own default alpha of 8 would scale the update 8x).
model = dict(backbone=dict(lora=dict(r=64, alpha=1, dropout=0.0, targets=('q_proj', 'v_proj'))))
