# SigLIP So400m/14 for zero-shot classification / retrieval: CLIPViT siglip-so400m (its pooled feature) + open_clip's
# projection, text tower and tokenizer of 'ViT-SO400M-14-SigLIP', all read from one open_clip file
# (open_clip's ViT-SO400M-14-SigLIP 'webli').
# open_clip's SigLIP tokenizer is Hugging Face's timm/ViT-B-16-SigLIP (SentencePiece): it must be in the HF cache
# (HF_HUB_OFFLINE=1); nothing is downloaded at run time.  SigLIP's logit_bias does not change a ranking: not used.
_base_ = ['../constants.py']
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='CLIPViT', arch='siglip-so400m', frozen=True, out_type='pooled',
                  init_cfg=dict(type='EVAPretrained', lora=None, checkpoint=_base_.siglip_so400m_checkpoint)),
    text_model='ViT-SO400M-14-SigLIP',
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=_base_.siglip_mean,
                           std=_base_.siglip_std, to_rgb=True))
