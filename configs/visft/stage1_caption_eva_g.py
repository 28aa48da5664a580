# Stage 1, captioning: show-attend-tell LSTM on the frozen EVA-ViT-g, COCO Karpathy split, 100k iterations,
# batch 32 per GPU.  Build the vocabulary first:
#   python tools/dataset_converters/build_caption_vocab.py data/coco/annotations/dataset_coco.json \
#       data/coco/annotations/caption_vocab.json
_base_ = [
    '../_base_/models/lstm_captioner.py', '../_base_/datasets/coco_caption.py',
    '../_base_/schedules/caption_100k.py', '../_base_/default_runtime.py'
]
