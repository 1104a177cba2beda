"""pytest plugin: runs moto's own tests (server mode) against ec2lite.

Loaded with `-p ec2lite_plugin` by run.py. Contains no moto code; it adapts moto's tests to a
server that has no /moto-api/reset and no moto-only AMIs:
- every test gets an account of its own (a 12-digit access key id is the account in ec2lite's
  open auth mode); the test module's ACCOUNT_ID / DEFAULT_ACCOUNT_ID / OWNER_ID follow it;
- tests.EXAMPLE_AMI_ID names ec2lite's built-in Ubuntu image (its root is /dev/sda1, like every
  moto AMI); EXAMPLE_AMI_ID2 and tests.test_ec2.conftest.get_valid_ami() (on AWS an SSM lookup of
  Amazon Linux 2023) name the built-in Amazon Linux 2023 image (root /dev/xvda).
"""
import itertools
import os
import sys

import boto3

_accounts = itertools.count(100000000001)
_current = {"account": "100000000000"}
_MOTO_DEFAULT = "123456789012"


def _images():
    ec2 = boto3.client(
        "ec2",
        region_name="us-east-1",
        endpoint_url=os.environ["TEST_SERVER_MODE_ENDPOINT"],
        aws_access_key_id="100000000000",
        aws_secret_access_key="x",
    )
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    by_name = {}
    for image in images:
        by_name[image.get("Name", "")] = image["ImageId"]
    def pick(word):
        for name, image_id in sorted(by_name.items()):
            if word in name.lower():
                return image_id
        raise RuntimeError(f"no built-in image named like {word!r}: {sorted(by_name)}")
    return pick("ubuntu"), pick("al2023")


def pytest_configure(config):
    os.environ["MOTO_CALL_RESET_API"] = "false"
    sys.path.insert(0, os.getcwd())
    ubuntu, al2023 = _images()

    import tests
    tests.EXAMPLE_AMI_ID = ubuntu
    tests.EXAMPLE_AMI_ID2 = al2023
    import tests.test_ec2.conftest as ec2_conftest
    ec2_conftest.get_valid_ami = lambda: al2023
    ec2_conftest._get_param = lambda: al2023

    from moto.core import models

    original = models.MockAWS._mock_env_variables

    def mock_env_variables(self):
        self._fake_creds = dict(self._fake_creds, AWS_ACCESS_KEY_ID=_current["account"])
        original(self)

    models.MockAWS._mock_env_variables = mock_env_variables


def pytest_runtest_setup(item):
    account = str(next(_accounts))
    _current["account"] = account
    os.environ["AWS_ACCESS_KEY_ID"] = account
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "x")
    boto3.DEFAULT_SESSION = None
    module = item.module
    for name in ("ACCOUNT_ID", "DEFAULT_ACCOUNT_ID", "OWNER_ID"):
        if getattr(module, name, None) in (_MOTO_DEFAULT,) or name in getattr(module, "_ec2lite_accounts", ()):
            setattr(module, name, account)
            module.__dict__.setdefault("_ec2lite_accounts", set()).add(name)
