import pytest


@pytest.fixture(scope='session')
def synthetic_data(tmp_path_factory):
    """A small synthetic COCO / Karpathy / text-recognition tree shared by the whole session."""
    from visft_mm.testing import generate_synthetic_data
    root = tmp_path_factory.mktemp('synthetic')
    files = generate_synthetic_data(str(root), num_train=24, num_val=8,
                                    empty_prob=0.15, crowd_prob=0.3, seed=0)
    return root, files


@pytest.fixture(autouse=True)
def visft_default_scope():
    """Every test starts in visft_mm's registry scope, whichever scope an earlier test switched to."""
    from mmengine.registry import init_default_scope
    init_default_scope('visft_mm')
    yield


STAGE1_DEMO_CONFIGS = dict(caption='stage1_caption_tiny_synthetic.py', detection='stage1_detr_tiny_synthetic.py',
                           segmentation='stage1_mask2former_tiny_synthetic.py')


@pytest.fixture(scope='session')
def demo_workspace(synthetic_data, tmp_path_factory):
    """A folder laid out as the demo configs expect (``data/synthetic``, ``work_dirs/``) with the caption
    vocabulary and three real stage-1 checkpoints (2 training iterations each: real format, barely trained).

    Returns (folder, {task: stage-1 checkpoint}); tests that use the demo configs' relative paths chdir there.
    """
    import os
    import os.path as osp

    from mmengine.config import Config
    from mmengine.runner import Runner

    from visft_mm.datasets.captions import Vocabulary

    root, files = synthetic_data
    workspace = tmp_path_factory.mktemp('workspace')
    (workspace / 'data').mkdir()
    (workspace / 'data' / 'synthetic').symlink_to(root, target_is_directory=True)
    Vocabulary.from_annotations(files['karpathy']).save(
        str(root / 'coco' / 'annotations' / 'caption_vocab.json'))
    configs = osp.join(osp.dirname(__file__), '..', 'configs', 'visft', 'demo')
    checkpoints = {}
    cwd = os.getcwd()
    os.chdir(workspace)
    try:
        for task, name in STAGE1_DEMO_CONFIGS.items():
            cfg = Config.fromfile(osp.join(configs, name))
            cfg.work_dir = str(workspace / 'work_dirs' / osp.splitext(name)[0])
            cfg.train_cfg.update(max_iters=2, val_interval=100)
            cfg.default_hooks.checkpoint.interval = 2
            cfg.experiment_name = f'stage1_{task}'
            Runner.from_cfg(cfg).train()
            checkpoints[task] = osp.join(cfg.work_dir, 'iter_2.pth')
    finally:
        os.chdir(cwd)
    return workspace, checkpoints


@pytest.fixture(scope='session')
def stage2_checkpoint(demo_workspace, tmp_path_factory):
    """A real stage-2 checkpoint (LoRA-only, with its meta) of the demo config after 2 iterations: what every
    evaluation's LoRA loader and the converters must read.  Returns (workspace, checkpoint path, runner model)."""
    import os
    import os.path as osp
    import uuid

    from mmengine.config import Config
    from mmengine.runner import Runner

    workspace, checkpoints = demo_workspace
    cfg = Config.fromfile(osp.join(osp.dirname(__file__), '..', 'configs', 'visft', 'demo',
                                   'stage2_joint_tiny_synthetic.py'))
    for task, head in cfg.model.heads.items():
        head.checkpoint = checkpoints[task]
    cfg.work_dir = str(tmp_path_factory.mktemp('stage2'))
    cfg.train_cfg.update(max_iters=2, val_interval=10**6, val_before_train=False)
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
    cfg.optim_wrapper.optimizer.lr = 0.05  # a LoRA far from zero after 2 steps: merging must matter
    cfg.default_hooks.checkpoint.interval = 2
    cfg.train_dataloader.caption.batch_size = 2
    cfg.experiment_name = uuid.uuid4().hex
    cwd = os.getcwd()
    os.chdir(workspace)
    try:
        runner = Runner.from_cfg(cfg)
        runner.train()
    finally:
        os.chdir(cwd)
    return workspace, osp.join(cfg.work_dir, 'iter_2.pth'), runner.model


@pytest.fixture(scope='session')
def pose_panoptic_workspace(synthetic_data, tmp_path_factory):
    """A folder laid out as the pose / panoptic demo configs expect: ``data/synthetic/{coco_pose,coco_panoptic}``
    (visft_mm.testing.synthetic_pose / synthetic_panoptic, 8 train + 4 val images each) and the tiny EVA file."""
    from visft_mm.testing.synthetic_panoptic import generate_panoptic_data
    from visft_mm.testing.synthetic_pose import generate_pose_data
    root, _ = synthetic_data
    workspace = tmp_path_factory.mktemp('pose_panoptic')
    data = workspace / 'data' / 'synthetic'
    data.mkdir(parents=True)
    (data / 'checkpoints').symlink_to(root / 'checkpoints', target_is_directory=True)
    generate_pose_data(str(data), num_train=8, num_val=4)
    generate_panoptic_data(str(data), num_train=8, num_val=4)
    return workspace
