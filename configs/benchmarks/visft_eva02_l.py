# Every out-of-domain benchmark on EVA02-CLIP-L/14: OCR (Table 3), GOI (Table 4), zero-shot classification on
# nine sets (Table 5) and COCO / Flickr30K retrieval (Table 6), for the frozen tower (0k: open_clip's published
# zero-shot numbers beside ours) and each stage-2 checkpoint.
#   python tools/visft_benchmark.py configs/benchmarks/visft_eva02_l.py [--gpus 8]
_base_ = ['../_base_/benchmarks/eva02_l.py']
_sets = ('imagenet1k', 'imagenet_a', 'imagenet_r', 'imagenet_sketch', 'eurosat', 'cifar10', 'cifar100', 'gtsrb',
         'caltech101')
benchmarks = {f'zero_shot_{name}': dict(config=f'configs/zero_shot/eva02_l_{name}.py') for name in _sets}
benchmarks.update(retrieval_coco=dict(config='configs/zero_shot/eva02_l_retrieval_coco.py'),
                  retrieval_flickr30k=dict(config='configs/zero_shot/eva02_l_retrieval_flickr30k.py'),
                  ocr=dict(config='configs/probes/ocr/vitstr_eva02_l.py', train=True),
                  goi=dict(config='configs/probes/goi/linear_eva02_l.py', train=True))
tables = ['configs/benchmarks/paper/open_clip_zero_shot.py', 'configs/benchmarks/paper/table5_zero_shot.py',
          'configs/benchmarks/paper/table6_retrieval.py', 'configs/benchmarks/paper/table3_ocr.py',
          'configs/benchmarks/paper/table4_goi.py']
work_dir = 'work_dirs/benchmarks/visft_eva02_l'
