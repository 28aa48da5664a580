# CPU demo: zero-shot colour classification with the tiny EVA-CLIP (pretrained on the synthetic captions by
# visft_mm.testing.mini_clip.pretrain_mini_clip) on class folders written by mini_clip.write_colour_folders.
# What the mini CLIP learns first is colour: its shape zero-shot (tiny_synthetic_shapes.py) stays near chance.
_base_ = ['./tiny_synthetic_shapes.py']
classnames = ['blue', 'green', 'red', 'yellow']  # sorted folder order
model = dict(prompts=dict(classnames=classnames,
                          templates=['a photo of a {c} shape.', 'a {c} shape on a gray background.',
                                     'a drawing of a {c} shape.']))
test_dataloader = dict(dataset=dict(data_root='data/synthetic/colours_cls', classnames=classnames))
