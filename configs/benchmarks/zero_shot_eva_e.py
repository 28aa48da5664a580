# Tables 5 and 6 (EVA-CLIP-E rows): zero-shot classification on nine datasets and image-text retrieval on COCO /
# Flickr30K with EVA02-CLIP-E/14-plus, for the frozen vision tower and each ViSFT LoRA (nothing trains).
#   python tools/visft_benchmark.py configs/benchmarks/zero_shot_eva_e.py \
#       --cfg-options loras.5k=work_dirs/stage2_joint/iter_5000.pth loras.50k=work_dirs/stage2_joint/iter_50000.pth
_base_ = ['../_base_/benchmarks/eva_e.py']
_sets = ('imagenet1k', 'imagenet_a', 'imagenet_r', 'imagenet_sketch', 'eurosat', 'cifar10', 'cifar100', 'gtsrb',
         'caltech101')
benchmarks = {f'zero_shot_{name}': dict(config=f'configs/zero_shot/eva_e_{name}.py') for name in _sets}
benchmarks.update(retrieval_coco=dict(config='configs/zero_shot/eva_e_retrieval_coco.py'),
                  retrieval_flickr30k=dict(config='configs/zero_shot/eva_e_retrieval_flickr30k.py'))
tables = ['configs/benchmarks/paper/table5_zero_shot.py', 'configs/benchmarks/paper/table6_retrieval.py']
work_dir = 'work_dirs/benchmarks/zero_shot_eva_e'
