"""What a demo stage 2 does to each task's loss, on fixed batches of held-out and of training images.

Reruns the demo's stage 2 (``tools/demo.py``'s config and numerics) from the stage-1 heads and the mini CLIP of a
finished demo run, with any config change, and prints each task's mean loss on the same fixed batches before
(LoRA at zero: the stage-1 models) and every quarter of the run: the validation images and, through the same
training pipeline, up to ``--train-batches`` batches of the training images.  The README's "The demo" table of
stage-2 settings on the demo's data comes from this command (one task alone: the other probabilities set to 0):

    python tools/analysis_tools/stage2_fixed_batch_losses.py work_dirs/demo --data-root data/synthetic \\
        --iters 400 --cfg-options optim_wrapper.optimizer.lr=0.01
    python tools/analysis_tools/stage2_fixed_batch_losses.py work_dirs/demo --iters 120 --cfg-options \\
        train_cfg.task_probs.caption=0.0 train_cfg.task_probs.detection=1.0 train_cfg.task_probs.segmentation=0.0
"""
import argparse
import importlib.util
import json
import os.path as osp

DEMO = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'demo.py')


def load_demo():
    spec = importlib.util.spec_from_file_location('visft_demo', DEMO)
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    return demo


def demo_run_arguments(description):
    """The arguments that name a finished demo run (shared with stage2_gradient_alignment.py)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('demo_work_dir', help='a finished demo run (its stage1_*_tiny_synthetic/iter_N.pth)')
    parser.add_argument('--data-root', default='data/synthetic', help='that run\'s --data-root')
    parser.add_argument('--stage1-iters', type=int, default=150, help='that run\'s --stage1-iters')
    parser.add_argument('--seed', type=int, default=0, help='that run\'s --seed (the LoRA\'s initial A)')
    return parser


def parse_args():
    from mmengine.config import DictAction
    parser = demo_run_arguments(__doc__)
    parser.add_argument('--iters', type=int, default=400, help='stage-2 iterations')
    parser.add_argument('--train-batches', type=int, default=24, help='fixed batches of training images per task')
    parser.add_argument('--work-dir', default=None, help='default: <demo_work_dir>/stage2_fixed_batch_losses')
    parser.add_argument('--out', default=None, help='also write the histories as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='changes to the demo\'s stage-2 config, e.g. optim_wrapper.optimizer.lr=0.01')
    return parser.parse_args()


def main():
    demo = load_demo()
    demo.pin_numerics(demo.DEMO_THREADS)  # before torch loads: the demo's numerics
    args = parse_args()
    from visft_mm.testing.task_losses import FixedBatchLossHook, fixed_loss_batches

    work_dir = args.work_dir or osp.join(args.demo_work_dir, 'stage2_fixed_batch_losses')
    cfg = demo.stage2_config_from_run(args.demo_work_dir, args.data_root, args.stage1_iters, work_dir, args.iters,
                                      args.seed)
    cfg.merge_from_dict(args.cfg_options)
    cfg.train_cfg.update(val_before_train=False, val_interval=10**9)  # losses only
    on_train = demo.training_images_as_val(cfg)  # the training images as the "validation" set of fixed batches
    interval = max(1, args.iters // 4)
    hooks = dict(held_out=FixedBatchLossHook(fixed_loss_batches(cfg), interval),
                 training=FixedBatchLossHook(fixed_loss_batches(on_train, max_batches=args.train_batches), interval))
    runner, _ = demo.train(cfg, list(hooks.values()))
    task_counts = dict(runner.train_loop.task_counts)  # the iterations each task drew

    histories = {name: hook.history for name, hook in hooks.items()}
    print(f'iterations per task: {task_counts}')
    for name, history in histories.items():
        (_, first), (last_iter, last) = history[0], history[-1]
        print(f'{name} images, 0 -> {last_iter} it.: ' + ', '.join(
            f'{task} {first[task]:.4f} -> {last[task]:.4f} ({100 * (last[task] - first[task]) / first[task]:+.2f} %)'
            for task in first))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(cfg_options=args.cfg_options, iters=args.iters, task_counts=task_counts,
                           histories=histories), f, indent=1)


if __name__ == '__main__':
    main()
