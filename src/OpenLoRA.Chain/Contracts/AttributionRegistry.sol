// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title AttributionRegistry
/// @notice Stores the Merkle root of every batch of attribution traces so validators can check a trace against
/// the chain. Batch ids are strictly sequential from 0: a submitter that retries a transaction after a crash can
/// never commit the same batch twice or leave a gap, because any id other than nextBatchId() reverts.
contract AttributionRegistry is Ownable {
    struct Batch {
        bytes32 root;
        bytes32 manifestHash;
        uint32 count;
        uint64 committedBlock;
    }

    /// @notice Caller is not an authorized submitter.
    error NotSubmitter(address account);
    /// @notice The batch id is not the next one in sequence (a duplicate or a gap).
    error UnexpectedBatchId(uint64 expected, uint64 provided);
    /// @notice A batch must have a non-zero root and at least one leaf.
    error EmptyBatch();
    /// @notice The batch id has not been committed yet.
    error UnknownBatch(uint64 batchId);
    /// @notice The zero address cannot be a submitter.
    error InvalidSubmitter();

    event SubmitterAdded(address indexed account);
    event SubmitterRemoved(address indexed account);
    event BatchCommitted(
        uint64 indexed batchId,
        bytes32 indexed root,
        uint32 count,
        bytes32 manifestHash,
        string uri,
        address indexed submitter
    );

    mapping(uint64 => Batch) private _batches;
    mapping(address => bool) private _submitters;
    uint64 private _nextBatchId;

    constructor() Ownable(msg.sender) {}

    modifier onlySubmitter() {
        if (!_submitters[msg.sender]) revert NotSubmitter(msg.sender);
        _;
    }

    function addSubmitter(address account) external onlyOwner {
        if (account == address(0)) revert InvalidSubmitter();
        if (!_submitters[account]) {
            _submitters[account] = true;
            emit SubmitterAdded(account);
        }
    }

    function removeSubmitter(address account) external onlyOwner {
        if (_submitters[account]) {
            _submitters[account] = false;
            emit SubmitterRemoved(account);
        }
    }

    function isSubmitter(address account) external view returns (bool) {
        return _submitters[account];
    }

    /// @notice Commits batch `batchId`; it must equal nextBatchId().
    function commitBatch(uint64 batchId, bytes32 root, uint32 count, bytes32 manifestHash, string calldata uri)
        external
        onlySubmitter
    {
        uint64 expected = _nextBatchId;
        if (batchId != expected) revert UnexpectedBatchId(expected, batchId);
        if (root == bytes32(0) || count == 0) revert EmptyBatch();

        _batches[batchId] = Batch({
            root: root,
            manifestHash: manifestHash,
            count: count,
            committedBlock: uint64(block.number)
        });
        _nextBatchId = expected + 1;
        emit BatchCommitted(batchId, root, count, manifestHash, uri, msg.sender);
    }

    function nextBatchId() external view returns (uint64) {
        return _nextBatchId;
    }

    function batchRoot(uint64 batchId) external view returns (bytes32) {
        return _batch(batchId).root;
    }

    /// @notice The whole batch record; committedBlock lets an indexer fetch the BatchCommitted log from one block.
    function batchInfo(uint64 batchId)
        external
        view
        returns (bytes32 root, uint32 count, bytes32 manifestHash, uint64 committedBlock)
    {
        Batch storage b = _batch(batchId);
        return (b.root, b.count, b.manifestHash, b.committedBlock);
    }

    /// @notice True when `leaf` is in batch `batchId` (OpenZeppelin sorted-pair Merkle proof). Uncommitted batches
    /// verify nothing rather than reverting, so a validator can ask before the batch lands.
    function verifyLeaf(uint64 batchId, bytes32[] calldata proof, bytes32 leaf) external view returns (bool) {
        if (batchId >= _nextBatchId) return false;
        return MerkleProof.verifyCalldata(proof, _batches[batchId].root, leaf);
    }

    function _batch(uint64 batchId) private view returns (Batch storage) {
        if (batchId >= _nextBatchId) revert UnknownBatch(batchId);
        return _batches[batchId];
    }
}
