# The OCR probe of ViSFT Table 3 on mmocr's recognizer framework: the frozen EVA-ViT-g (CLS + patch tokens,
# 224x224 input), a 4-layer transformer encoder (mmocr's TFEncoderLayer) and ViTSTR's per-token linear classifier.
# Charset: ViTSTR's 94 case-sensitive printable characters (mmocr's english_digits_symbols.txt lacks ^ { | }).
# Targets: the characters, the end token, padding (ignored); the CLS token stands at ViTSTR's [GO] position.
# Normalisation: CLIP's mean / std (the backbone's pretraining statistics), RGB.
_base_ = ['../constants.py']
dict_file = '{{ fileDirname }}/../../probes/ocr/dicts/printable94.txt'
dictionary = dict(
    type='mmocr.Dictionary', dict_file=dict_file, with_start=False, with_end=True, with_padding=True,
    with_unknown=False)
model = dict(
    type='mmocr.EncoderDecoderRecognizer',
    data_preprocessor=dict(
        type='mmocr.TextRecogDataPreprocessor',
        mean=_base_.clip_mean,
        std=_base_.clip_std,
        bgr_to_rgb=True),
    backbone=dict(
        type='EVAViT',
        arch='eva-g',
        frozen=True,
        out_type='raw',
        init_cfg=dict(type='visft_mm.EVAPretrained', checkpoint=_base_.eva_g_checkpoint,
                      lora=None)),
    encoder=dict(
        type='TokenTransformerEncoder', in_channels=1408, d_model=512, num_layers=4, n_head=8, d_inner=2048,
        dropout=0.1),
    decoder=dict(
        type='ViTSTRDecoder',
        in_channels=512,
        dictionary=dictionary,
        max_seq_len=26,  # ViTSTR's batch_max_length 25 + the end token
        module_loss=dict(type='mmocr.CEModuleLoss', ignore_char='padding', reduction='mean'),
        postprocessor=dict(type='mmocr.AttentionPostprocessor')))
