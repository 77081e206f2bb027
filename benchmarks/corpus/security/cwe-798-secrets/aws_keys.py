import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="AKIAZ4T3N7QRLXW2PM6K",  # expect: CWE-798
    aws_secret_access_key="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",
)
