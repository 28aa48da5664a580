# CPU demo: image-text retrieval with the tiny EVA-CLIP-shaped model on shape images with captions in the
# Flickr30k Karpathy layout (visft_mm.testing.synthetic_clip.write_shape_retrieval).
_base_ = ['../_base_/models/zero_shot_tiny_clip.py', '../_base_/datasets/zero_shot/clip_retrieval.py',
          '../_base_/eval_runtime.py']
test_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='data/synthetic/shapes_retrieval', ann_file='dataset_flickr30k.json',
                 data_prefix='flickr30k-images'))
