# ViSFT's captioning head: show-attend-tell LSTM (attention / embedding / LSTM widths 384, dropout 0.5) on the
# 14x14-pooled EVA-ViT map.  vocab_file is built once (tools/dataset_converters/build_caption_vocab.py).
_base_ = ['./eva_vit_g.py']
model = dict(
    type='LSTMCaptioner',
    vocab_file='data/coco/annotations/caption_vocab.json',
    data_preprocessor=dict(
        type='ImgDataPreprocessor',
        mean=_base_.imagenet_mean,  # the reference's ImageNet statistics, not CLIP's
        std=_base_.imagenet_std,
        bgr_to_rgb=True),
    backbone=dict(out_type='featmap'),
    embed_dims=384,
    hidden_dims=384,
    attention_dims=384,
    dropout=0.5,
    pool_size=14,
    alpha_c=1.0,
    beam_size=3,
    max_length=20)
